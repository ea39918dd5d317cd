package org.contactbatch.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.contactbatch.files.RawRow;
import org.contactbatch.files.ReadOptions;
import org.contactbatch.files.RowSource;
import org.contactbatch.files.TabularFiles;

/**
 * How fast the upload's reader takes a CSV apart: the generated contacts file (the upload benchmark's) through
 * {@link TabularFiles#open} and {@link RowSource#next}, in this JVM, against reading the same bytes and nothing
 * else. The parse is where an upload's staging starts; this is its ceiling. Rewrites the "File parsing" section.
 */
public final class ParseBenchmark {

    private ParseBenchmark() {
    }

    /**
     * @param startAtSeconds  getting to the middle line the way a later staging partition does ({@link RowSource#startAt})
     * @param readPastSeconds getting there by parsing every row before it
     */
    private record Run(double readSeconds, double parseSeconds, long rows, long cells, double startAtSeconds,
            double readPastSeconds) {
    }

    public static void main(String[] argv) throws Exception {
        BenchHarness.main("ParseBenchmark", argv, 1_000_000, false, ParseBenchmark::run);
    }

    static void run(BenchHarness.Args args) throws Exception {
        Path csv = BenchHarness.contactsCsv(args.benchDir(), args.rows());
        String load = BenchHarness.loadAverage();
        List<Run> runs = new ArrayList<>();
        // one run not counted: the JIT compiles the reader's loops, the file comes into the page cache
        measure(csv);
        for (int run = 0; run < Math.max(3, args.runs()); run++) {
            Run measured = measure(csv);
            if (measured.rows() != args.rows()) {
                throw new BenchHarness.BenchmarkFailure("read " + measured.rows() + " rows of " + args.rows());
            }
            BenchHarness.say("run %d: %,d rows, %,d cells; bytes %s, parse %s; to the middle line: startAt %s, parsing %s",
                    run + 1, measured.rows(), measured.cells(), BenchHarness.secs(measured.readSeconds()),
                    BenchHarness.secs(measured.parseSeconds()), BenchHarness.secs(measured.startAtSeconds()),
                    BenchHarness.secs(measured.readPastSeconds()));
            runs.add(measured);
        }
        double parse = BenchHarness.best(runs, Run::parseSeconds);
        double read = BenchHarness.best(runs, Run::readSeconds);
        double startAt = BenchHarness.best(runs, Run::startAtSeconds);
        double readPast = BenchHarness.best(runs, Run::readPastSeconds);
        long bytes = Files.size(csv);
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "## File parsing (%,d rows)%n%n", args.rows()));
        md.append(String.format(Locale.ROOT, "`bench/parse.sh`: the generated contacts CSV (%s, %,d rows, seed 42) through the"
                + " upload's reader (`TabularFiles.open`, `RowSource.next`: decoding, the CSV grammar, cells), in the benchmark's"
                + " own JVM, file in the page cache, best of %d runs after one not counted. No target of its own: it is the"
                + " ceiling of an upload's staging, which also checks each row and writes it to the database.%n%n",
                BenchHarness.mb(bytes), args.rows(), runs.size()));
        md.append("| | value |\n|---|---|\n");
        md.append("| date | ").append(BenchHarness.date()).append(" |\n");
        md.append("| machine | ").append(BenchHarness.machine(load)).append(" |\n");
        md.append("| Java | ").append(BenchHarness.javaVersion()).append(" |\n");
        md.append(String.format(Locale.ROOT, "| reading the bytes only | %s (%.0f MB/s) |%n", BenchHarness.secs(read), bytes / 1e6 / read));
        md.append(String.format(Locale.ROOT, "| parsing into rows and cells | %s (%.0f MB/s, %,.0f rows/s) |%n",
                BenchHarness.secs(parse), bytes / 1e6 / parse, args.rows() / parse));
        md.append(String.format(Locale.ROOT, "| parse / read | %.1f× |%n", parse / read));
        md.append(String.format(Locale.ROOT, "| to the middle line, as the second staging partition gets there (`startAt`: the"
                + " bytes before it read with the CSV grammar but not decoded, `files/CsvLineSkip`; it was 0.44–0.47 s on"
                + " 2026-12-04 with the parser scanning the decoded text without building cells) | %s |%n",
                BenchHarness.secs(startAt)));
        md.append(String.format(Locale.ROOT, "| to the middle line by parsing every row before it (how it got there before) | %s |%n",
                BenchHarness.secs(readPast)));
        BenchHarness.report(args.markdown(), md.toString());
    }

    private static Run measure(Path csv) throws IOException {
        long start = System.nanoTime();
        byte[] buffer = new byte[1 << 16];
        long sum = 0;
        try (InputStream in = Files.newInputStream(csv)) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                sum += buffer[n - 1];
            }
        }
        double read = BenchHarness.seconds(start);
        if (sum == 42) {
            // keeps the loop from being optimised away
            System.out.print("");
        }
        start = System.nanoTime();
        long rows = 0;
        long cells = 0;
        try (RowSource source = TabularFiles.open(csv, ReadOptions.defaults())) {
            for (RawRow row = source.next(); row != null; row = source.next()) {
                rows++;
                cells += row.cells().size();
            }
        }
        double parse = BenchHarness.seconds(start);
        long middle = rows / 2 + 1;
        start = System.nanoTime();
        try (RowSource source = TabularFiles.open(csv, ReadOptions.defaults())) {
            source.startAt(middle);
            at(middle, source.next());
        }
        double startAt = BenchHarness.seconds(start);
        start = System.nanoTime();
        try (RowSource source = TabularFiles.open(csv, ReadOptions.defaults())) {
            RawRow row = source.next();
            while (row != null && row.line() < middle) {
                row = source.next();
            }
            at(middle, row);
        }
        return new Run(read, parse, rows, cells, startAt, BenchHarness.seconds(start));
    }

    private static void at(long line, RawRow row) {
        if (row == null || row.line() != line) {
            throw new BenchHarness.BenchmarkFailure("expected the row at line " + line + ", got " + row);
        }
    }
}
