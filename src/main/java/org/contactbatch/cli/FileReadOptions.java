package org.contactbatch.cli;

import java.nio.charset.Charset;

import picocli.CommandLine.Option;

/** How to read a contacts file, where detecting it is not enough: its sheet, its text encoding, its delimiter. */
final class FileReadOptions {

    @Option(names = "--sheet", paramLabel = "NAME|N", description = "the workbook sheet to read (default: the first)")
    String sheet;

    @Option(names = "--encoding", paramLabel = "CHARSET", description = "text encoding (default: detected)")
    Charset encoding;

    @Option(names = "--delimiter", paramLabel = "C", description = "text delimiter: , ; | or tab (default: detected)")
    private String delimiter;

    /** The delimiter given, or null to detect it. */
    Character delimiter() {
        return delimiter(delimiter);
    }

    /** A delimiter as people write it: {@code , ; |} or {@code tab}. */
    static Character delimiter(String delimiter) {
        if (delimiter == null) {
            return null;
        }
        return switch (delimiter) {
            case "tab", "\\t", "\t" -> '\t';
            case ",", ";", "|" -> delimiter.charAt(0);
            default -> throw new UsageException("--delimiter must be one of , ; | tab (got '" + delimiter + "')");
        };
    }
}
