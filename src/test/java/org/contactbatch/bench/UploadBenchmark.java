package org.contactbatch.bench;

import static org.contactbatch.bench.BenchSupport.XMX;
import static org.contactbatch.bench.BenchSupport.mb;
import static org.contactbatch.bench.BenchSupport.mib;
import static org.contactbatch.bench.BenchSupport.relative;
import static org.contactbatch.bench.BenchSupport.row;
import static org.contactbatch.bench.BenchSupport.say;
import static org.contactbatch.bench.BenchSupport.seconds;
import static org.contactbatch.bench.BenchSupport.secs;
import static org.contactbatch.bench.BenchSupport.tail;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.contactbatch.bench.BenchSupport.AppRun;
import org.contactbatch.bench.BenchSupport.BenchmarkFailure;
import org.contactbatch.bench.BenchSupport.Postgres;
import org.contactbatch.bench.BenchSupport.Psql;
import org.contactbatch.bench.BenchSupport.StepTime;
import org.postgresql.PGConnection;
import tools.jackson.databind.JsonNode;

/**
 * Bulk upload against its baseline (design §6): {@code psql \copy} of the same CSV into a table with
 * the same indexes as {@code contact}, on the same PostgreSQL server, in the same run.
 *
 * <p>One run starts one embedded PostgreSQL (fresh data directory under {@code bench-data/pg}, the
 * same server settings as the app's embedded default), generates the CSV unless it is there, then
 * twice: times {@code \copy} into a fresh database, and times
 * {@code JAVA_OPTS=-Xmx256m bin/contact-batch upload FILE --json --no-progress} into another fresh
 * database (wall clock and peak RSS), with the JVM-and-Spring start-up measured by {@code jobs list}
 * and the step durations read from Spring Batch's tables. The better run of each is used for the
 * ratio. The figures are printed and written to a section {@code ## Bulk upload (N rows)} of the
 * markdown file.
 *
 * <pre>
 * java -cp test-classes:… org.contactbatch.bench.UploadBenchmark [ROWS] [APP_JAR] [MARKDOWN]
 * </pre>
 * defaults: 1000000, target/contact-batch.jar, BENCHMARKS.md. System properties: {@code bench.dir}
 * (default {@code bench-data}), {@code bench.runs} (default 2), {@code bench.keep-db} (keep the
 * PostgreSQL data directory afterwards). Environment: {@code PSQL} (the psql to use).
 */
public final class UploadBenchmark {

    static final double TARGET_RATIO = 2.0;

    /** The baseline's columns: the CSV's 14 headers, snake-cased. */
    static final List<String> COLUMNS = List.of("email", "first_name", "last_name", "phone", "company", "job_title",
            "street", "city", "state", "postal_code", "country", "lifecycle_stage", "owner", "tags");

    record CopyRun(double seconds, String method) {
    }

    record UploadRun(double seconds, long peakRssKiB, double startupSeconds, long executionId, double jobSeconds,
            long flywayMillis, List<StepTime> steps, String json) {
    }

    private final int rows;
    private final Path jar;
    private final Path markdown;
    private final Path benchDir;
    private final int runs;
    private Postgres pg;
    private Psql psql;

    private UploadBenchmark(int rows, Path jar, Path markdown, Path benchDir, int runs) {
        this.rows = rows;
        this.jar = jar;
        this.markdown = markdown;
        this.benchDir = benchDir;
        this.runs = runs;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 3 || (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help")))) {
            System.err.println("usage: UploadBenchmark [ROWS (default 1000000)] [APP_JAR (default target/contact-batch.jar)]"
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
            new UploadBenchmark(rows, jar, markdown, benchDir, runs).run();
        }
        catch (BenchmarkFailure e) {
            System.err.println();
            System.err.println("BENCHMARK FAILED: " + e.getMessage());
            System.exit(1);
        }
    }

    private void run() throws Exception {
        Files.createDirectories(benchDir.resolve("logs"));
        String loadAtStart = BenchSupport.loadAverage();
        Path csv = BenchSupport.contactsCsv(benchDir, rows);
        psql = Psql.find();
        pg = Postgres.start(benchDir.resolve("pg"));
        List<CopyRun> copies = new ArrayList<>();
        List<UploadRun> uploads = new ArrayList<>();
        try {
            for (int run = 1; run <= runs; run++) {
                say("run %d of %d", run, runs);
                copies.add(copyBaseline(csv, run));
                say("  \\copy: %s (%s)", secs(copies.get(run - 1).seconds()), copies.get(run - 1).method());
                uploads.add(upload(csv, run));
                UploadRun u = uploads.get(run - 1);
                say("  upload: %s, peak RSS %s, start-up %s", secs(u.seconds()), mib(u.peakRssKiB()),
                        secs(u.startupSeconds()));
            }
        }
        finally {
            pg.close();
        }
        String section = section(csv, copies, uploads, loadAtStart);
        System.out.println();
        System.out.println(section);
        BenchSupport.writeMarkdown(markdown, section);
        say("wrote %s", markdown);
    }

    // ------------------------------------------------------------------ baseline

    private CopyRun copyBaseline(Path csv, int run) throws Exception {
        String db = "copy_baseline";
        pg.freshDatabase(db);
        try (Connection c = pg.connect(db); Statement s = c.createStatement()) {
            StringBuilder ddl = new StringBuilder("create table copy_baseline_table (\n")
                    .append("  id bigint generated always as identity primary key,\n");
            COLUMNS.forEach(col -> ddl.append("  ").append(col).append(" text,\n"));
            ddl.append("  updated_at timestamptz not null default now())");
            s.execute(ddl.toString());
            // the indexes of the contact table (V2__Contacts.sql)
            s.execute("create unique index copy_baseline_email_key on copy_baseline_table (lower(email)) "
                    + "where email is not null");
            s.execute("create index copy_baseline_updated_at on copy_baseline_table (updated_at)");
        }
        pg.checkpoint();
        String columns = String.join(",", COLUMNS);
        double seconds;
        String method;
        if (psql.present()) {
            String command = "\\copy copy_baseline_table(" + columns + ") from '"
                    + csv.toString().replace("'", "''") + "' with (format csv, header true)";
            seconds = psql.time(pg, db, command, benchDir.resolve("logs").resolve("copy-run" + run + ".log"));
            method = "psql \\copy";
        }
        else {
            long start = System.nanoTime();
            try (Connection c = pg.connect(db); InputStream in = Files.newInputStream(csv)) {
                c.unwrap(PGConnection.class).getCopyAPI().copyIn("copy copy_baseline_table(" + columns
                        + ") from stdin with (format csv, header true)", in, 1 << 16);
            }
            seconds = seconds(start);
            method = "pgjdbc CopyManager";
        }
        long count = pg.queryLong(db, "select count(*) from copy_baseline_table");
        if (count != rows) {
            throw new BenchmarkFailure("the baseline loaded " + count + " rows, expected " + rows);
        }
        return new CopyRun(seconds, method);
    }

    // ------------------------------------------------------------------ the job

    private UploadRun upload(Path csv, int run) throws Exception {
        String db = "upload_run";
        pg.freshDatabase(db);
        pg.checkpoint();
        Path logs = benchDir.resolve("logs");
        AppRun app = BenchSupport.timeApp(app(run, List.of("upload", csv.toString(), "--json", "--no-progress")),
                logs.resolve("upload-run" + run + ".json"), logs.resolve("upload-run" + run + ".stderr"));
        String json = app.json();
        JsonNode summary = app.summary();
        String problem = null;
        if (app.exit() != 0) {
            problem = "the upload exited with " + app.exit();
        }
        else if (summary == null) {
            problem = "the upload printed no JSON summary";
        }
        else if (!"COMPLETED".equals(summary.path("status").asString(""))) {
            problem = "the upload's status is " + summary.path("status");
        }
        else if (summary.path("counts").path("read").asLong(-1) != rows
                || summary.path("counts").path("inserted").asLong(-1) != rows) {
            problem = "the upload's counts are not read == inserted == " + rows;
        }
        if (problem != null) {
            throw new BenchmarkFailure(problem + "\n  stdout: " + (json == null ? tail(app.out(), 5) : json)
                    + "\n  stderr (" + app.err() + "):\n" + tail(app.err(), 30)
                    + "\n  log: " + logs.resolve("upload-run" + run + ".log"));
        }
        long executionId = summary.path("executionId").asLong();
        long contacts = pg.queryLong(db, "select count(*) from contact");
        if (contacts != rows) {
            throw new BenchmarkFailure("the upload reported " + rows + " inserted but the contact table holds " + contacts);
        }

        // JVM and Spring start-up, against the same (now migrated) database
        double startup = BenchSupport.timeAppPlain(app(run, List.of("jobs", "list")),
                logs.resolve("jobs-list-run" + run + ".out"));

        List<StepTime> steps = pg.steps(db, executionId);
        double jobSeconds = pg.jobSeconds(db, executionId);
        long flywayMillis = pg.flywayMillis(db);
        return new UploadRun(app.seconds(), app.peakRssKiB(), startup, executionId, jobSeconds, flywayMillis, steps,
                json);
    }

    /** {@code JAVA_OPTS=-Xmx256m bin/contact-batch ARGS} against the upload database, its log and reports in bench-data. */
    private ProcessBuilder app(int run, List<String> appArgs) {
        return BenchSupport.app(jar, benchDir.resolve("logs").resolve("upload-run" + run + ".log"),
                benchDir.resolve("reports").resolve("run" + run), pg.jdbcUrl("upload_run"), appArgs);
    }

    // ------------------------------------------------------------------ report

    private String section(Path csv, List<CopyRun> copies, List<UploadRun> uploads, String loadAtStart)
            throws java.io.IOException {
        double bestCopy = copies.stream().mapToDouble(CopyRun::seconds).min().orElseThrow();
        double bestUpload = uploads.stream().mapToDouble(UploadRun::seconds).min().orElseThrow();
        double ratio = bestUpload / bestCopy;
        long peak = uploads.stream().mapToLong(UploadRun::peakRssKiB).max().orElseThrow();
        double bestStartup = uploads.stream().mapToDouble(UploadRun::startupSeconds).min().orElseThrow();
        boolean met = ratio <= TARGET_RATIO;
        boolean viaPsql = copies.get(0).method().equals("psql \\copy");
        String baseline = viaPsql ? "`\\copy` with " + psql.note()
                : "`COPY … FROM STDIN` with pgjdbc's `CopyManager` (psql not installed: `apt-get install -y postgresql-client`)";

        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "## Bulk upload (%,d rows%s)%n%n", rows, pg.headingNote()));
        md.append(String.format(Locale.ROOT,
                "**Target (≤ %.0f× `\\copy`, in `%s`): %s** — ratio **%.2f×** (upload %s / `\\copy` %s, best of %d "
                        + "runs each); every run completed in `%s` (peak RSS of the JVM %s).%n%n",
                TARGET_RATIO, XMX, met ? "met" : "not met", ratio, secs(bestUpload), secs(bestCopy), uploads.size(),
                XMX, mib(peak)));
        md.append("| | value |\n|---|---|\n");
        md.append("| date | ").append(BenchSupport.date()).append(" |\n");
        md.append("| machine | ").append(BenchSupport.machine(loadAtStart)).append(" |\n");
        md.append("| Java | ").append(BenchSupport.javaVersion()).append(" |\n");
        md.append("| PostgreSQL | ").append(pg.description()).append(" |\n");
        md.append("| baseline | ").append(baseline)
                .append(" into a fresh database, table of the 14 columns as text + `id` identity primary key + "
                        + "`updated_at`, unique index on `lower(email)`, index on `updated_at` |\n");
        md.append(String.format(Locale.ROOT, "| input | %,d rows, %s (`%s`, ContactGenerator seed %d) |%n", rows,
                mb(Files.size(csv)), relative(csv), BenchSupport.SEED));
        md.append("| job | `").append(BenchSupport.LAUNCH).append(" upload FILE --json --no-progress` "
                + "into a fresh database (Flyway migrates it at start), wall clock of the process |\n\n");

        md.append("| figure |");
        for (int i = 1; i <= uploads.size(); i++) {
            md.append(" run ").append(i).append(" |");
        }
        md.append(" used / note |\n|---|");
        md.append("---|".repeat(uploads.size() + 1)).append('\n');
        row(md, viaPsql ? "`\\copy` (psql)" : "`COPY … FROM STDIN` (CopyManager)",
                copies.stream().map(c -> secs(c.seconds())).toList(), secs(bestCopy) + " (best)");
        row(md, "upload (wall clock)", uploads.stream().map(u -> secs(u.seconds())).toList(), secs(bestUpload) + " (best)");
        row(md, "ratio upload / `\\copy`",
                java.util.stream.IntStream.range(0, uploads.size())
                        .mapToObj(i -> String.format(Locale.ROOT, "%.2f×", uploads.get(i).seconds() / copies.get(i).seconds()))
                        .toList(),
                String.format(Locale.ROOT, "**%.2f×** (best / best; target ≤ %.0f×)", ratio, TARGET_RATIO));
        row(md, "peak RSS of the upload JVM (`" + XMX + "`)", uploads.stream().map(u -> mib(u.peakRssKiB())).toList(),
                mib(peak) + " (max)");
        row(md, "JVM + Spring start-up (`jobs list`)", uploads.stream().map(u -> secs(u.startupSeconds())).toList(),
                secs(bestStartup) + " (best)");
        row(md, "Flyway migration of the fresh database", uploads.stream()
                .map(u -> u.flywayMillis() < 0 ? "?" : secs(u.flywayMillis() / 1000.0)).toList(), "");
        row(md, "job start → end (batch_job_execution)", uploads.stream().map(u -> secs(u.jobSeconds())).toList(), "");

        List<String> stepNames = uploads.get(0).steps().stream().map(StepTime::name).toList();
        for (String name : stepNames) {
            List<String> cells = new ArrayList<>();
            String counts = "";
            for (UploadRun u : uploads) {
                Optional<StepTime> step = u.steps().stream().filter(s -> s.name().equals(name)).findFirst();
                cells.add(step.map(s -> secs(s.seconds())).orElse("—"));
                if (step.isPresent()) {
                    counts = String.format(Locale.ROOT, "read %,d, written %,d", step.get().read(), step.get().written());
                }
            }
            row(md, "step `" + name + "`", cells, counts);
        }
        md.append('\n');
        md.append("Upload wall clock = JVM + Spring start-up + Flyway + the job; the per-step times come from "
                + "`batch_step_execution` (end_time − start_time). The better of the runs of each is used for the ratio. "
                + "Logs, JSON summaries and reports of the runs: `")
                .append(relative(benchDir.resolve("logs"))).append("/`, `")
                .append(relative(benchDir.resolve("reports"))).append("/`.\n");
        return md.toString();
    }
}
