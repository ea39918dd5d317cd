package org.contactbatch.files;

import java.io.InputStream;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Streaming XML for the spreadsheet formats that are XML (OpenDocument, Excel 2003 XML): a parser that takes no DTD
 * and no external entity, so neither an entity bomb nor a file of the machine gets into a cell.
 */
final class SafeXml {

    private static final XMLInputFactory FACTORY = XMLInputFactory.newFactory();

    static {
        FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        FACTORY.setProperty(XMLInputFactory.IS_COALESCING, true);
    }

    private SafeXml() {
    }

    static XMLStreamReader reader(InputStream in) throws XMLStreamException {
        return FACTORY.createXMLStreamReader(in);
    }

    /** Past the end of the element the reader has just started. */
    static void skip(XMLStreamReader xml) throws XMLStreamException {
        for (int depth = 1; depth > 0 && xml.hasNext(); ) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    /** The parser's reason, without the position it puts in front of it. */
    static String reason(XMLStreamException e) {
        return e.getMessage() == null ? "not well-formed" : e.getMessage().lines().reduce((a, b) -> b).orElse("").strip();
    }

    static void closeQuietly(XMLStreamReader xml) {
        try {
            xml.close();
        } catch (XMLStreamException ignored) {
            // the stream under it is what holds the file open, and is closed by the caller
        }
    }
}
