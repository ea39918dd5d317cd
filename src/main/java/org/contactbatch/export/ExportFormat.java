package org.contactbatch.export;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The file an export writes. */
public enum ExportFormat {
    CSV("csv"), XLSX("xlsx");

    private final String extension;

    ExportFormat(String extension) {
        this.extension = extension;
    }

    public String extension() {
        return extension;
    }

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ExportFormat> parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        for (ExportFormat format : values()) {
            if (format.value().equals(value)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }

    /** The format a file name asks for: ".xlsx" is a workbook, anything else CSV. */
    public static ExportFormat forFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".xlsx") ? XLSX : CSV;
    }
}
