package org.contactbatch.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.contactbatch.files.TextFilesTest.readAll;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenDocument spreadsheets, as LibreOffice and many web tools save them. */
class OdsFilesTest {

    static final Path FIXTURE = Path.of("src/test/resources/files/contacts.ods");

    @TempDir
    Path dir;

    @Test
    void cellsAreTheTextShownAndRowsKeepTheSheetsNumbersThroughRepeatedRows() {
        try (RowSource source = TabularFiles.open(FIXTURE, ReadOptions.defaults())) {
            assertThat(source.description().kind()).isEqualTo(FileKind.ODS);
            assertThat(source.description().sheetNames()).containsExactly("Contacts", "Notes");
            assertThat(source.header()).containsExactly("Email", "First Name", "Last Name", "Postal Code", "Member Since");
            assertThat(readAll(source)).containsExactly(
                    new RawRow(2, List.of("jose.garcia@example.org", "José", "García  López", "02134", "1997-03-04")),
                    // rows 3 and 4 are one empty row repeated; a spanned cell covers the next; a comment is not the text
                    new RawRow(5, List.of("anna.muller@example.de", "Anna Müller", "", "01067")),
                    new RawRow(6, List.of("bjorn.odegard@example.no", "Bjørn\nØdegård")));
        }
    }

    @Test
    void theSheetIsChosenAsInAnyWorkbook() {
        try (RowSource source = TabularFiles.open(FIXTURE, new ReadOptions(false, "notes", null, null))) {
            assertThat(readAll(source)).extracting(RawRow::cells).containsExactly(List.of("exported from the club's spreadsheet"));
        }
    }

    @Test
    void aBombAndEntitiesAreRefused() throws IOException {
        String workbook = "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
                + "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
                + "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:spreadsheet>"
                + "<table:table table:name=\"S\"><table:table-row><table:table-cell><text:p>Email</text:p></table:table-cell>"
                + "</table:table-row><table:table-row><table:table-cell><text:p>%s</text:p></table:table-cell></table:table-row>"
                + "</table:table></office:spreadsheet></office:body></office:document-content>";
        // twenty million blanks in a comment pack into some twenty kilobytes
        Path bomb = ods("bomb.ods", "<?xml version=\"1.0\"?>" + workbook.formatted("ann@example.com")
                + "<!--" + " ".repeat(20_000_000) + "-->");
        assertThatThrownBy(() -> TabularFiles.open(bomb, ReadOptions.defaults())).isInstanceOf(FileProblemException.class)
                .hasMessage("bomb.ods: refused: the spreadsheet would expand to far more data than its size suggests "
                        + "(more than 100 times, a possible zip bomb)");
        Path entity = ods("entity.ods", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/hostname\">]>"
                + workbook.formatted("&e;"));
        assertThatThrownBy(() -> {
            try (RowSource source = TabularFiles.open(entity, ReadOptions.defaults())) {
                readAll(source);
            }
        }).isInstanceOf(FileProblemException.class)
                .hasMessageStartingWith("entity.ods: the OpenDocument spreadsheet is damaged and cannot be read");
    }

    private Path ods(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            byte[] mimetype = "application/vnd.oasis.opendocument.spreadsheet".getBytes(StandardCharsets.US_ASCII);
            ZipEntry entry = new ZipEntry("mimetype");
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(mimetype.length);
            CRC32 crc = new CRC32();
            crc.update(mimetype);
            entry.setCrc(crc.getValue());
            zip.putNextEntry(entry);
            zip.write(mimetype);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("content.xml"));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return file;
    }
}
