package org.contactbatch.db;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * Rows for PostgreSQL's {@code COPY … FROM STDIN} in text format, sent in one go on the
 * connection of the current transaction. COPY is the write path that keeps bulk loads near
 * {@code psql \copy} speed; row-by-row inserts are several times slower (design §6).
 */
public final class CopyRows {

    private final StringBuilder buffer = new StringBuilder(1 << 16);
    private boolean rowStarted;
    private int rows;

    public CopyRows text(String value) {
        separator();
        if (value == null) {
            buffer.append("\\N");
        }
        else {
            escape(value);
        }
        return this;
    }

    public CopyRows number(long value) {
        separator();
        buffer.append(value);
        return this;
    }

    /** A nullable number. */
    public CopyRows number(Number value) {
        separator();
        if (value == null) {
            buffer.append("\\N");
        }
        else {
            buffer.append(value.longValue());
        }
        return this;
    }

    public CopyRows bool(Boolean value) {
        separator();
        buffer.append(value == null ? "\\N" : value ? "t" : "f");
        return this;
    }

    /** A {@code text[]} value; an empty collection is an empty array, not null. */
    public CopyRows array(Collection<String> values) {
        separator();
        StringBuilder literal = new StringBuilder("{");
        boolean first = true;
        for (String value : values) {
            if (!first) {
                literal.append(',');
            }
            first = false;
            literal.append('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '"' || c == '\\') {
                    literal.append('\\');
                }
                literal.append(c);
            }
            literal.append('"');
        }
        escape(literal.append('}').toString());
        return this;
    }

    /** A {@code jsonb} object of strings. */
    public CopyRows json(Map<String, String> values) {
        separator();
        StringBuilder json = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> entry : values.entrySet()) {
            if (!first) {
                json.append(',');
            }
            first = false;
            jsonString(json, entry.getKey());
            json.append(':');
            jsonString(json, entry.getValue());
        }
        escape(json.append('}').toString());
        return this;
    }

    public CopyRows endRow() {
        buffer.append('\n');
        rowStarted = false;
        rows++;
        return this;
    }

    public int rows() {
        return rows;
    }

    /**
     * Sends the rows with {@code copySql} (a {@code COPY table (columns) FROM STDIN}) on the
     * connection bound to the current Spring transaction, so they commit or roll back with it.
     */
    public long copyInto(DataSource dataSource, String copySql) {
        if (rows == 0) {
            return 0;
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            return connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn(copySql, new ByteArrayInputStream(bytes));
        }
        catch (SQLException | IOException e) {
            throw new IllegalStateException("COPY failed: " + e.getMessage(), e);
        }
        finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
            buffer.setLength(0);
            rows = 0;
        }
    }

    private void separator() {
        if (rowStarted) {
            buffer.append('\t');
        }
        rowStarted = true;
    }

    // the runs between characters to escape are appended whole: most values have none, and appending a
    // character at a time was most of what building the COPY text cost
    private void escape(String value) {
        int from = 0;
        for (int i = 0; i < value.length(); i++) {
            String escaped = switch (value.charAt(i)) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (escaped != null) {
                buffer.append(value, from, i).append(escaped);
                from = i + 1;
            }
        }
        if (from == 0) {
            buffer.append(value);
        }
        else {
            buffer.append(value, from, value.length());
        }
    }

    private static void jsonString(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
