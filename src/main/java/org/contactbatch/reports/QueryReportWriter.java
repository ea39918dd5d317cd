package org.contactbatch.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.contactbatch.db.Cursors;
import org.contactbatch.files.CsvTableWriter;

/**
 * Writes a report straight from a query, streaming: one CSV row per result row, every value as
 * text, with the project's CSV rules (UTF-8 with BOM, formula-safe cells). For reports that are
 * the database's own view of a job, like a re-import's changes and results.
 */
public class QueryReportWriter {

    private final DataSource dataSource;

    public QueryReportWriter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs the query and writes its rows under the given header; returns how many rows. */
    public long write(Path file, List<String> header, String sql, Map<String, ?> parameters) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (CsvTableWriter writer = new CsvTableWriter(file, ',', true)) {
                writer.writeRow(header);
                long[] rows = {0};
                Cursors.forEach(dataSource, sql, parameters, rs -> {
                    int columns = rs.getMetaData().getColumnCount();
                    List<String> row = new ArrayList<>(columns);
                    for (int i = 1; i <= columns; i++) {
                        String value = rs.getString(i);
                        row.add(value == null ? "" : value);
                    }
                    try {
                        writer.writeRow(row);
                    }
                    catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    rows[0]++;
                });
                return rows[0];
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file + ": " + e.getMessage(), e);
        }
    }
}
