package org.contactbatch.files;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Turns a {@link RecordStream} into a {@link RowSource}: restores every cell, skips blank rows, reads and checks the
 * header, and reads the first data row ahead so an empty or header-only file is refused when it is opened, not after
 * a job has started writing.
 */
final class TableRowSource implements RowSource {

    private RecordStream records;
    private final FileDescription description;
    private final List<String> header;
    /**
     * Empty cells past this width belong to the dropped blank header columns and are dropped with them. Zero while the
     * first row is read, so that row loses its trailing empty cells too.
     */
    private int width;
    private @Nullable RawRow ahead;

    TableRowSource(RecordStream records, FileDescription description, boolean hasHeader) {
        this.records = records;
        this.description = description;
        try {
            RawRow first = nextNonBlank();
            if (first == null) {
                String what = records.whole() == null ? "the file" : "the sheet";
                throw new FileProblemException(description.path(), records.whole(), what + " is empty");
            }
            if (hasHeader) {
                this.header = checkedHeader(first);
                this.width = header.size();
                this.ahead = nextNonBlank();
                if (ahead == null) {
                    throw new FileProblemException(description.path(), records.whole(), "has a header row but no data rows");
                }
            } else {
                this.header = numberedColumns(first.cells().size());
                this.width = header.size();
                this.ahead = first;
            }
        } catch (RuntimeException e) {
            records.close();
            throw e;
        }
    }

    @Override
    public FileDescription description() {
        return description;
    }

    @Override
    public List<String> header() {
        return header;
    }

    @Override
    public @Nullable RawRow next() {
        RawRow row = ahead;
        if (row != null) {
            ahead = null;
            return row;
        }
        return nextNonBlank();
    }

    @Override
    public void startAt(long line) {
        RawRow first = ahead;
        if (first == null) {
            throw new IllegalStateException("startAt after rows were read");
        }
        if (first.line() >= line) {
            return;
        }
        ahead = null;
        RecordStream later = records.from(line);
        if (later != null) {
            // the header and the first data row were read from here, so the records from the line are all data
            records.close();
            records = later;
            return;
        }
        RawRow row;
        do {
            row = nextNonBlank();
        } while (row != null && row.line() < line);
        ahead = row;
    }

    @Override
    public void close() {
        records.close();
    }

    private @Nullable RawRow nextNonBlank() {
        RawRow raw;
        while ((raw = records.read()) != null) {
            List<String> cells = raw.cells();
            int size = cells.size();
            boolean blank = true;
            String[] restored = new String[size];
            for (int i = 0; i < size; i++) {
                String cell = CellSafety.restore(cells.get(i));
                restored[i] = cell;
                blank &= cell.isBlank();
            }
            if (!blank) {
                int keep = size;
                while (keep > width && restored[keep - 1].isEmpty()) {
                    keep--;
                }
                return new RawRow(raw.line(), List.of(keep == size ? restored : Arrays.copyOf(restored, keep)));
            }
        }
        return null;
    }

    private List<String> checkedHeader(RawRow row) {
        List<String> names = new ArrayList<>(row.cells().size());
        for (String cell : row.cells()) {
            names.add(cell.replace("\uFEFF", "").strip());
        }
        // blank names at the end are usually formatting left over in a spreadsheet or a trailing delimiter
        int end = names.size();
        while (end > 0 && names.get(end - 1).isEmpty()) {
            end--;
        }
        names = names.subList(0, end);
        String where = records.where(row.line());
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name.isEmpty()) {
                throw new FileProblemException(description.path(), where, "column " + (i + 1) + " has no header");
            }
            Integer earlier = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), i);
            if (earlier != null) {
                throw new FileProblemException(description.path(), where, "column '" + names.get(earlier)
                        + "' appears twice (columns " + (earlier + 1) + " and " + (i + 1) + ")");
            }
        }
        return List.copyOf(names);
    }

    private static List<String> numberedColumns(int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            names.add("column " + i);
        }
        return List.copyOf(names);
    }
}
