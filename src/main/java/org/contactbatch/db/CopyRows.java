package org.contactbatch.db;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * Rows for PostgreSQL's {@code COPY … FROM STDIN} in text format, sent in one go on the
 * connection of the current transaction. COPY is the write path that keeps bulk loads near
 * {@code psql \copy} speed; row-by-row inserts are several times slower (design §6).
 */
public final class CopyRows {

    /** Characters encoded and sent at a time. */
    private static final int PIECE = 1 << 14;

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
     * The text is encoded a piece at a time into one reused buffer: a chunk's rows are megabytes,
     * and copying them whole into a String and then bytes was a fifth of what an upload allocated.
     */
    public long copyInto(DataSource dataSource, String copySql) {
        if (rows == 0) {
            return 0;
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        CopyIn copy = null;
        try {
            copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
            CharBuffer chars = CharBuffer.allocate(PIECE);
            ByteBuffer bytes = ByteBuffer.allocate(PIECE * 3);
            CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            int length = buffer.length();
            for (int from = 0; from < length; ) {
                int to = Math.min(length, from + PIECE);
                if (to < length && Character.isHighSurrogate(buffer.charAt(to - 1))) {
                    to--; // a surrogate pair is encoded whole, in the next piece
                }
                chars.clear();
                buffer.getChars(from, to, chars.array(), 0);
                chars.limit(to - from);
                bytes.clear();
                encoder.reset().encode(chars, bytes, true);
                encoder.flush(bytes);
                copy.writeToCopy(bytes.array(), 0, bytes.position());
                from = to;
            }
            return copy.endCopy();
        }
        catch (SQLException e) {
            cancel(copy);
            throw new IllegalStateException("COPY failed: " + e.getMessage(), e);
        }
        finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
            buffer.setLength(0);
            rows = 0;
        }
    }

    private static void cancel(CopyIn copy) {
        try {
            if (copy != null && copy.isActive()) {
                copy.cancelCopy();
            }
        }
        catch (SQLException ignored) {
            // the COPY is failing already; the transaction rolls back with the first error
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
            char c = value.charAt(i);
            if (c >= ' ' && c != '\\') {
                continue; // nearly every character: only a backslash and three controls are escaped
            }
            String escaped = switch (c) {
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
