package org.contactbatch.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * Rows for PostgreSQL's {@code COPY … FROM STDIN} in text format, sent in one go on the
 * connection of the current transaction. COPY is the write path that keeps bulk loads near
 * {@code psql \copy} speed; row-by-row inserts are several times slower.
 */
public final class CopyRows {

    /** Bytes sent at a time. */
    private static final int PIECE = 1 << 16;

    /**
     * The rows as COPY's text in UTF-8, escaped and encoded in one pass as they are added. Building a String and
     * encoding it after was a fifth of a staging thread's time: the JDK's encoder leaves its ASCII fast path at the
     * first accent of a piece and does the rest a character at a time.
     */
    private byte[] bytes = new byte[1 << 16];
    private int length;
    private boolean rowStarted;
    private int rows;

    public CopyRows text(String value) {
        separator();
        if (value == null) {
            nullValue();
        }
        else {
            escape(value);
        }
        return this;
    }

    public CopyRows number(long value) {
        separator();
        ascii(Long.toString(value));
        return this;
    }

    /** A nullable number. */
    public CopyRows number(Number value) {
        separator();
        if (value == null) {
            nullValue();
        }
        else {
            ascii(Long.toString(value.longValue()));
        }
        return this;
    }

    public CopyRows bool(Boolean value) {
        separator();
        if (value == null) {
            nullValue();
        }
        else {
            room(1);
            bytes[length++] = (byte) (value ? 't' : 'f');
        }
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
        room(1);
        bytes[length++] = '\n';
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
        CopyIn copy = null;
        try {
            copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
            for (int from = 0; from < length; from += PIECE) {
                copy.writeToCopy(bytes, from, Math.min(PIECE, length - from));
            }
            return copy.endCopy();
        }
        catch (SQLException e) {
            cancel(copy);
            throw new IllegalStateException("COPY failed: " + e.getMessage(), e);
        }
        finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
            length = 0;
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
            room(1);
            bytes[length++] = '\t';
        }
        rowStarted = true;
    }

    private void nullValue() {
        room(2);
        bytes[length++] = '\\';
        bytes[length++] = 'N';
    }

    private void ascii(String digits) {
        room(digits.length());
        for (int i = 0; i < digits.length(); i++) {
            bytes[length++] = (byte) digits.charAt(i);
        }
    }

    /** Room for {@code more} bytes after the length. */
    private void room(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    /**
     * The value as COPY text, in UTF-8: a backslash and the three controls COPY reads as row and column ends
     * escaped, every other character as it is (a lone surrogate, which no encoding holds, as '?', as the JDK's
     * encoder writes it).
     */
    private void escape(String value) {
        int size = value.length();
        room(size * 3); // the most a char takes: 3 bytes, 2 for an escape, 4 for a surrogate pair of 2 chars
        byte[] out = bytes;
        int n = length;
        for (int i = 0; i < size; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                if (c >= ' ' && c != '\\') {
                    out[n++] = (byte) c; // nearly every character
                    continue;
                }
                byte escaped = switch (c) {
                    case '\\' -> '\\';
                    case '\t' -> 't';
                    case '\n' -> 'n';
                    case '\r' -> 'r';
                    default -> 0;
                };
                if (escaped != 0) {
                    out[n++] = '\\';
                    out[n++] = escaped;
                }
                else {
                    out[n++] = (byte) c;
                }
            }
            else if (c < 0x800) {
                out[n++] = (byte) (0xC0 | c >> 6);
                out[n++] = (byte) (0x80 | c & 0x3F);
            }
            else if (!Character.isSurrogate(c)) {
                out[n++] = (byte) (0xE0 | c >> 12);
                out[n++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[n++] = (byte) (0x80 | c & 0x3F);
            }
            else if (Character.isHighSurrogate(c) && i + 1 < size && Character.isLowSurrogate(value.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, value.charAt(++i));
                out[n++] = (byte) (0xF0 | codePoint >> 18);
                out[n++] = (byte) (0x80 | codePoint >> 12 & 0x3F);
                out[n++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
                out[n++] = (byte) (0x80 | codePoint & 0x3F);
            }
            else {
                out[n++] = '?';
            }
        }
        length = n;
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
