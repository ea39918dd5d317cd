package org.contactbatch.bench;

import static org.contactbatch.bench.BenchSupport.XMX;
import static org.contactbatch.bench.BenchSupport.mb;
import static org.contactbatch.bench.BenchSupport.mib;
import static org.contactbatch.bench.BenchSupport.ratio;
import static org.contactbatch.bench.BenchSupport.relative;
import static org.contactbatch.bench.BenchSupport.row;
import static org.contactbatch.bench.BenchSupport.say;
import static org.contactbatch.bench.BenchSupport.seconds;
import static org.contactbatch.bench.BenchSupport.secs;
import static org.contactbatch.bench.BenchSupport.tail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.contactbatch.bench.BenchSupport.AppRun;
import org.contactbatch.bench.BenchSupport.BenchmarkFailure;
import org.contactbatch.bench.BenchSupport.Postgres;
import org.contactbatch.bench.BenchSupport.Psql;
import org.contactbatch.bench.BenchSupport.StepTime;
import org.postgresql.PGConnection;
import tools.jackson.databind.JsonNode;

/**
 * Export against its baseline (design §6): {@code psql \copy (select …) to} of the same columns, on the same
 * PostgreSQL server, in the same run; and the XLSX export against the CSV export.
 *
 * <p>One run starts one embedded PostgreSQL (fresh data directory under {@code bench-data/pg-export}, the app's
 * embedded server settings), loads the generated contacts CSV of {@link UploadBenchmark} with the app's own upload
 * (timed for information only) and {@code VACUUM ANALYZE}s it as a settled database would be. Then, per run: times
 * the baseline {@code \copy (select <the export's default columns, formatted as it formats them>) to FILE}; times
 * {@code JAVA_OPTS=-Xmx256m bin/contact-batch export --out FILE.csv --json --no-progress} and the same to
 * {@code FILE.xlsx} (wall clock of the process, peak RSS, the steps from Spring Batch's tables); and checks the
 * files hold every contact. The better run of each is used for the ratios. The figures are printed and written to a
 * section {@code ## Export (N rows)} of the markdown file.
 *
 * <pre>
 * java -cp test-classes:… org.contactbatch.bench.ExportBenchmark [ROWS] [APP_JAR] [MARKDOWN]
 * </pre>
 * defaults: 1000000, target/contact-batch.jar, BENCHMARKS.md. System properties: {@code bench.dir} (default
 * {@code bench-data}), {@code bench.runs} (default 2), {@code bench.keep-db} (keep the PostgreSQL data directory and
 * the exported files afterwards). Environment: {@code PSQL} (the psql to use).
 */
public final class ExportBenchmark {

    static final double CSV_TARGET = 2.0;
    static final double XLSX_TARGET = 4.0;
    static final String DB = "export_bench";

    /**
     * The baseline's query: the columns an export writes by default (the generated contacts have no custom fields),
     * each formatted as the export formats it (ExportColumn).
     */
    static final String BASELINE_SELECT = "select c.id, c.version, c.email, c.phone, c.first_name, c.last_name, "
            + "c.company, c.job_title, c.street, c.city, c.region, c.postal_code, c.country, c.lifecycle_stage, c.owner, "
            + "case c.legal when true then 'yes' when false then 'no' end as legal, "
            + "nullif(array_to_string(c.groups, '; '), '') as groups, nullif(array_to_string(c.tags, '; '), '') as tags, "
            + "c.consent_state as consent from contact c";

    record Load(double seconds, long peakRssKiB, double vacuumSeconds, long databaseBytes) {
    }

    record CopyRun(double seconds, long bytes, String method) {
    }

    record ExportRun(AppRun app, long executionId, double jobSeconds, List<StepTime> steps, long bytes) {
    }

    record Run(CopyRun copy, ExportRun csv, ExportRun xlsx, double startupSeconds) {
    }

    private final int rows;
    private final Path jar;
    private final Path markdown;
    private final Path benchDir;
    private final Path logs;
    private final int runs;
    private final boolean keep;
    private Postgres pg;
    private Psql psql;

    private ExportBenchmark(int rows, Path jar, Path markdown, Path benchDir, int runs) {
        this.rows = rows;
        this.jar = jar;
        this.markdown = markdown;
        this.benchDir = benchDir;
        this.logs = benchDir.resolve("logs");
        this.runs = runs;
        this.keep = Boolean.getBoolean("bench.keep-db");
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 3 || (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help")))) {
            System.err.println("usage: ExportBenchmark [ROWS (default 1000000)] [APP_JAR (default target/contact-batch.jar)]"
                    + " [MARKDOWN (default BENCHMARKS.md)]");
            System.exit(2);
        }
        int rows = args.length > 0 ? Integer.parseInt(args[0].replace("_", "").replace(",", "")) : 1_000_000;
        Path jar = Path.of(args.length > 1 ? args[1] : "target/contact-batch.jar").toAbsolutePath().normalize();
        Path markdown = Path.of(args.length > 2 ? args[2] : "BENCHMARKS.md").toAbsolutePath().normalize();
        Path benchDir = Path.of(System.getProperty("bench.dir", "bench-data")).toAbsolutePath().normalize();
        int runs = Integer.getInteger("bench.runs", 2);
        if (rows < 1 || runs < 1) {
            throw new IllegalArgumentException("rows and bench.runs must be at least 1");
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no app jar at " + jar + ": build it first (./mvnw -q -B -DskipTests package)");
        }
        try {
            new ExportBenchmark(rows, jar, markdown, benchDir, runs).run();
        }
        catch (BenchmarkFailure e) {
            System.err.println();
            System.err.println("BENCHMARK FAILED: " + e.getMessage());
            System.exit(1);
        }
    }

    private void run() throws Exception {
        Files.createDirectories(logs);
        String loadAtStart = BenchSupport.loadAverage();
        Path csv = BenchSupport.contactsCsv(benchDir, rows);
        psql = Psql.find();
        pg = Postgres.start(benchDir.resolve("pg-export"));
        Load load;
        List<Run> results = new ArrayList<>();
        String loadAtEnd;
        try {
            load = load(csv);
            for (int run = 1; run <= runs; run++) {
                say("run %d of %d", run, runs);
                CopyRun copy = baseline(run);
                say("  \\copy (select …) to: %s (%s, %s)", secs(copy.seconds()), mb(copy.bytes()), copy.method());
                ExportRun toCsv = export(run, "csv");
                say("  export to CSV: %s, peak RSS %s", secs(toCsv.app().seconds()), mib(toCsv.app().peakRssKiB()));
                ExportRun toXlsx = export(run, "xlsx");
                say("  export to XLSX: %s, peak RSS %s", secs(toXlsx.app().seconds()), mib(toXlsx.app().peakRssKiB()));
                double startup = BenchSupport.timeAppPlain(app("export-jobs-list-run" + run, List.of("jobs", "list")),
                        logs.resolve("export-jobs-list-run" + run + ".out"));
                results.add(new Run(copy, toCsv, toXlsx, startup));
            }
            loadAtEnd = BenchSupport.loadAverage();
        }
        finally {
            pg.close();
            if (!keep) {
                for (int run = 1; run <= runs; run++) {
                    Files.deleteIfExists(output(run, "csv"));
                    Files.deleteIfExists(output(run, "xlsx"));
                    Files.deleteIfExists(copyOutput(run));
                }
            }
        }
        String section = section(csv, load, results, loadAtStart, loadAtEnd);
        System.out.println();
        System.out.println(section);
        BenchSupport.writeMarkdown(markdown, section);
        say("wrote %s", markdown);
    }

    /** The app's own upload into a fresh database: for information, not a target. */
    private Load load(Path csv) throws Exception {
        say("loading %,d contacts with the app's upload into %s", rows, DB);
        pg.freshDatabase(DB);
        pg.checkpoint();
        AppRun app = BenchSupport.timeApp(app("export-load", List.of("upload", csv.toString(), "--json", "--no-progress")),
                logs.resolve("export-load.json"), logs.resolve("export-load.stderr"));
        if (app.exit() != 0 || app.summary() == null || app.summary().path("counts").path("inserted").asLong() != rows) {
            throw new BenchmarkFailure("the upload did not insert " + rows + " contacts: " + app.json() + "\n"
                    + tail(app.err(), 30));
        }
        say("  upload: %s, peak RSS %s", secs(app.seconds()), mib(app.peakRssKiB()));
        long start = System.nanoTime();
        pg.execute(DB, "vacuum (analyze) contact");
        double vacuum = seconds(start);
        long bytes = pg.queryLong(DB, "select pg_database_size(current_database())");
        say("  vacuum (analyze) contact: %s; database %s", secs(vacuum), mb(bytes));
        pg.checkpoint();
        return new Load(app.seconds(), app.peakRssKiB(), vacuum, bytes);
    }

    private Path output(int run, String format) {
        return benchDir.resolve("export-run" + run + "." + format);
    }

    private Path copyOutput(int run) {
        return benchDir.resolve("export-copy-run" + run + ".csv");
    }

    // ------------------------------------------------------------------ baseline

    private CopyRun baseline(int run) throws Exception {
        Path file = copyOutput(run);
        Files.deleteIfExists(file);
        pg.checkpoint();
        double seconds;
        String method;
        if (psql.present()) {
            seconds = psql.time(pg, DB, "\\copy (" + BASELINE_SELECT + ") to '" + file.toString().replace("'", "''")
                    + "' with (format csv, header true)", logs.resolve("export-copy-run" + run + ".log"));
            method = "psql \\copy";
        }
        else {
            long start = System.nanoTime();
            try (Connection c = pg.connect(DB); OutputStream out = Files.newOutputStream(file)) {
                c.unwrap(PGConnection.class).getCopyAPI().copyOut("copy (" + BASELINE_SELECT
                        + ") to stdout with (format csv, header true)", out);
            }
            seconds = seconds(start);
            method = "pgjdbc CopyManager";
        }
        long lines = lines(file);
        if (lines != rows + 1L) {
            throw new BenchmarkFailure("the baseline wrote " + lines + " lines, expected " + (rows + 1));
        }
        return new CopyRun(seconds, Files.size(file), method);
    }

    // ------------------------------------------------------------------ the job

    private ExportRun export(int run, String format) throws Exception {
        Path out = output(run, format);
        Files.deleteIfExists(out);
        pg.checkpoint();
        String name = "export-" + format + "-run" + run;
        AppRun app = BenchSupport.timeApp(app(name, List.of("export", "--out", out.toString(), "--json", "--no-progress")),
                logs.resolve(name + ".json"), logs.resolve(name + ".stderr"));
        JsonNode summary = app.summary();
        String problem = null;
        if (app.exit() != 0) {
            problem = "the export exited with " + app.exit();
        }
        else if (summary == null) {
            problem = "the export printed no JSON summary";
        }
        else if (!"COMPLETED".equals(summary.path("status").asString(""))) {
            problem = "the export's status is " + summary.path("status");
        }
        else if (summary.path("counts").path("written").asLong(-1) != rows) {
            problem = "the export wrote " + summary.path("counts").path("written") + " rows, expected " + rows;
        }
        else if (!Files.isRegularFile(out)) {
            problem = "the export's file " + out + " is not there";
        }
        else if (format.equals("csv") && lines(out) != rows + 1L) {
            problem = "the exported CSV has " + lines(out) + " lines, expected " + (rows + 1);
        }
        if (problem != null) {
            throw new BenchmarkFailure(problem + "\n  stdout: " + (app.json() == null ? tail(app.out(), 5) : app.json())
                    + "\n  stderr (" + app.err() + "):\n" + tail(app.err(), 30)
                    + "\n  log: " + logs.resolve(name + ".log"));
        }
        long executionId = summary.path("executionId").asLong();
        return new ExportRun(app, executionId, pg.jobSeconds(DB, executionId), pg.steps(DB, executionId),
                Files.size(out));
    }

    /** The app against the benchmark's database, its log in logs/LOGNAME.log. */
    private ProcessBuilder app(String logName, List<String> appArgs) {
        return BenchSupport.app(jar, logs.resolve(logName + ".log"), benchDir.resolve("reports").resolve("export"),
                pg.jdbcUrl(DB), appArgs);
    }

    /** Line feeds in a file (the generated contacts have none inside a cell). */
    private static long lines(Path file) throws IOException {
        long lines = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        return lines;
    }

    // ------------------------------------------------------------------ report

    private String section(Path csv, Load load, List<Run> results, String loadAtStart, String loadAtEnd)
            throws IOException {
        int n = results.size();
        double bestCopy = best(results, r -> r.copy().seconds());
        double bestCsv = best(results, r -> r.csv().app().seconds());
        double bestXlsx = best(results, r -> r.xlsx().app().seconds());
        double bestCsvJob = best(results, r -> r.csv().jobSeconds());
        double bestXlsxJob = best(results, r -> r.xlsx().jobSeconds());
        double bestStartup = best(results, Run::startupSeconds);
        double csvRatio = bestCsv / bestCopy;
        double xlsxRatio = bestXlsx / bestCsv;
        long peakCsv = results.stream().mapToLong(r -> r.csv().app().peakRssKiB()).max().orElseThrow();
        long peakXlsx = results.stream().mapToLong(r -> r.xlsx().app().peakRssKiB()).max().orElseThrow();
        boolean viaPsql = results.get(0).copy().method().equals("psql \\copy");

        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "## Export (%,d rows)%n%n", rows));
        md.append(String.format(Locale.ROOT,
                "**Targets, in `%s`: CSV ≤ %.0f× `\\copy (select …) to`: %s** — ratio **%.2f×** (export %s / "
                        + "`\\copy` %s); **XLSX ≤ %.0f× the CSV export: %s** — ratio **%.2f×** (%s / %s). Best of %d "
                        + "runs each, wall clock of the whole process, JVM start-up (%s) included. Without start-up, "
                        + "the jobs alone (start → end in `batch_job_execution`) take %s (CSV, %s of `\\copy`) and %s "
                        + "(XLSX, %s of the CSV job). Peak RSS of the JVM: CSV %s, XLSX %s.%n%n",
                XMX, CSV_TARGET, csvRatio <= CSV_TARGET ? "met" : "not met", csvRatio, secs(bestCsv), secs(bestCopy),
                XLSX_TARGET, xlsxRatio <= XLSX_TARGET ? "met" : "not met", xlsxRatio, secs(bestXlsx), secs(bestCsv), n,
                secs(bestStartup), secs(bestCsvJob), ratio(bestCsvJob / bestCopy), secs(bestXlsxJob),
                ratio(bestXlsxJob / bestCsvJob), mib(peakCsv), mib(peakXlsx)));
        md.append("| | value |\n|---|---|\n");
        md.append("| date | ").append(BenchSupport.date()).append(" |\n");
        md.append("| machine | ").append(BenchSupport.machine(loadAtStart)).append(", at the end ").append(loadAtEnd)
                .append(" |\n");
        md.append("| Java | ").append(BenchSupport.javaVersion()).append(" |\n");
        md.append("| PostgreSQL | ").append(pg.description()).append(" |\n");
        md.append(String.format(Locale.ROOT, "| data | %,d contacts loaded by `contact-batch upload` of `%s` (%s, "
                + "ContactGenerator seed %d) in %s (not timed against anything), then `vacuum (analyze) contact` (%s) "
                + "as on a settled database; %s |%n", rows, relative(csv), mb(Files.size(csv)), BenchSupport.SEED,
                secs(load.seconds()), secs(load.vacuumSeconds()), mb(load.databaseBytes())));
        md.append("| baseline | ").append(viaPsql ? "`\\copy` with " + psql.note() : "`COPY … TO STDOUT` with pgjdbc's "
                + "`CopyManager` (psql not installed)").append(" of `").append(BASELINE_SELECT)
                .append("` to a file `with (format csv, header true)`: the export's 19 default columns, formatted as "
                        + "it formats them |\n");
        md.append("| jobs | `").append(BenchSupport.LAUNCH).append(" export --out FILE.csv --json "
                + "--no-progress`, then the same with `FILE.xlsx`; wall clock of each process; the files' rows "
                + "checked |\n\n");

        md.append("| figure |");
        for (int i = 1; i <= n; i++) {
            md.append(" run ").append(i).append(" |");
        }
        md.append(" used / note |\n|---|").append("---|".repeat(n + 1)).append('\n');
        row(md, viaPsql ? "`\\copy (select …) to` (baseline)" : "`COPY (select …) TO STDOUT` (baseline)",
                cells(results, r -> secs(r.copy().seconds())),
                secs(bestCopy) + " (best; " + mb(results.get(0).copy().bytes()) + ")");
        row(md, "export to CSV (wall clock)", cells(results, r -> secs(r.csv().app().seconds())),
                secs(bestCsv) + " (best; " + mb(results.get(0).csv().bytes()) + ")");
        row(md, "ratio CSV / `\\copy`", IntStream.range(0, n).mapToObj(i -> ratio(results.get(i).csv().app().seconds()
                / results.get(i).copy().seconds())).toList(),
                String.format(Locale.ROOT, "**%.2f×** (best / best; target ≤ %.0f×)", csvRatio, CSV_TARGET));
        row(md, "export to XLSX (wall clock)", cells(results, r -> secs(r.xlsx().app().seconds())),
                secs(bestXlsx) + " (best; " + mb(results.get(0).xlsx().bytes()) + ")");
        row(md, "ratio XLSX / CSV", IntStream.range(0, n).mapToObj(i -> ratio(results.get(i).xlsx().app().seconds()
                / results.get(i).csv().app().seconds())).toList(),
                String.format(Locale.ROOT, "**%.2f×** (best / best; target ≤ %.0f×)", xlsxRatio, XLSX_TARGET));
        row(md, "peak RSS, CSV export (`" + XMX + "`)", cells(results, r -> mib(r.csv().app().peakRssKiB())),
                mib(peakCsv) + " (max)");
        row(md, "peak RSS, XLSX export (`" + XMX + "`)", cells(results, r -> mib(r.xlsx().app().peakRssKiB())),
                mib(peakXlsx) + " (max)");
        row(md, "JVM + Spring start-up (`jobs list`)", cells(results, r -> secs(r.startupSeconds())),
                secs(bestStartup) + " (best)");
        row(md, "CSV job alone (batch_job_execution)", cells(results, r -> secs(r.csv().jobSeconds())),
                secs(bestCsvJob) + " (best; " + ratio(bestCsvJob / bestCopy) + " of `\\copy`)");
        row(md, "XLSX job alone (batch_job_execution)", cells(results, r -> secs(r.xlsx().jobSeconds())),
                secs(bestXlsxJob) + " (best; " + ratio(bestXlsxJob / bestCsvJob) + " of the CSV job)");
        stepRows(md, results, "CSV", Run::csv);
        stepRows(md, results, "XLSX", Run::xlsx);
        md.append('\n');
        md.append("Wall clock = JVM + Spring start-up + the job; the per-step times come from `batch_step_execution` "
                + "(end_time − start_time). The rows step spools the contacts in ranges of ids side by side "
                + "(`exportRowsPart:idsN`, as many as `contact-batch.workers`), in slices of 4 × "
                + "`contact-batch.chunk-size` contacts per transaction, each a `COPY (select …) TO STDOUT` appended to "
                + "the part's spool (its length and CRC-32C committed with the slice); `exportFinish` joins the spools "
                + "(forced to disk) and renames the file into place, or makes the workbook from them with POI's streaming "
                + "writer. Logs and JSON summaries of the runs: `").append(relative(logs)).append("/`.\n");
        return md.toString();
    }

    private void stepRows(StringBuilder md, List<Run> results, String label, Function<Run, ExportRun> export) {
        Set<String> names = new LinkedHashSet<>();
        results.forEach(r -> export.apply(r).steps().forEach(s -> names.add(s.name())));
        for (String name : names) {
            List<String> cells = new ArrayList<>();
            String note = "";
            for (Run r : results) {
                Optional<StepTime> step = export.apply(r).steps().stream().filter(s -> s.name().equals(name)).findFirst();
                cells.add(step.map(s -> secs(s.seconds())).orElse("—"));
                if (step.isPresent() && step.get().commits() > 0) {
                    note = String.format(Locale.ROOT, "written %,d, %,d commits", step.get().written(),
                            step.get().commits());
                }
            }
            row(md, label + " step `" + name + "`", cells, note);
        }
    }

    private static <T> List<String> cells(List<T> items, Function<T, String> cell) {
        return items.stream().map(cell).toList();
    }

    private static double best(List<Run> results, java.util.function.ToDoubleFunction<Run> figure) {
        return results.stream().mapToDouble(figure).min().orElseThrow();
    }
}
