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
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.contactbatch.bench.BenchSupport.AppRun;
import org.contactbatch.bench.BenchSupport.BenchmarkFailure;
import org.contactbatch.bench.BenchSupport.Postgres;
import org.contactbatch.bench.BenchSupport.Psql;
import org.contactbatch.bench.BenchSupport.StepTime;
import org.postgresql.PGConnection;
import tools.jackson.databind.JsonNode;

/**
 * Re-import by ID against its baseline (design §6): one set-based {@code UPDATE … FROM} of the same
 * changes, on the same PostgreSQL server, in the same run.
 *
 * <p>One run starts one embedded PostgreSQL (fresh data directory under {@code bench-data/pg-reimport},
 * the same server settings as the app's embedded default and as {@link UploadBenchmark}), and:
 * <ol>
 * <li>loads the generated contacts CSV of {@link UploadBenchmark} with the app's own upload into a
 * database {@code reimport_loaded} (timed for information only), then {@code VACUUM ANALYZE}s all of it as
 * autovacuum leaves a settled database, and makes it a template;</li>
 * <li>writes the edited sheet with {@code psql \copy (select …) to}: every contact's
 * {@code id,version,company,job_title,lifecycle_stage}, company and job title changed on every row
 * (suffix {@code " (2026)"}, cut to stay within their 50 characters), lifecycle stage kept — so
 * prepare finds every row to update with 2 changes;</li>
 * <li>then per run, each on its own {@code CREATE DATABASE … TEMPLATE reimport_loaded} copy: times
 * {@code JAVA_OPTS=-Xmx256m bin/contact-batch reimport prepare SHEET --json --no-progress} and
 * {@code reimport start ID --json --no-progress} (wall clock of the process, peak RSS), reads their
 * step durations from Spring Batch's tables and their slow statements from the server log; and times
 * the baseline on another copy: {@code \copy} of the same sheet into a table {@code staging}, then
 * the {@code UPDATE contact c SET … FROM staging s WHERE s.id = c.id} alone, both with psql.</li>
 * </ol>
 * The better run of each is used for the ratio start / UPDATE. The figures are printed and written
 * to a section {@code ## Re-import by ID (N rows)} of the markdown file.
 *
 * <pre>
 * java -cp test-classes:… org.contactbatch.bench.ReimportBenchmark [ROWS] [APP_JAR] [MARKDOWN]
 * </pre>
 * defaults: 1000000, target/contact-batch.jar, BENCHMARKS.md. System properties: {@code bench.dir}
 * (default {@code bench-data}), {@code bench.runs} (default 2), {@code bench.keep-db} (keep the
 * PostgreSQL data directory afterwards), {@code bench.slow-ms} (the jobs' statements logged by the
 * server from this duration on, default 200), {@code bench.job-timeout-min} (a job
 * running longer is stopped, its statement then noted in the section, and the other runs are left out;
 * default 10). Environment: {@code PSQL} (the psql to use).
 */
public final class ReimportBenchmark {

    static final double TARGET_RATIO = 2.0;
    static final String SUFFIX = " (2026)";
    static final List<String> SHEET_COLUMNS = List.of("id", "version", "company", "job_title", "lifecycle_stage");

    static final String LOADED_DB = "reimport_loaded";
    static final String JOB_DB = "reimport_run";
    static final String BASELINE_DB = "update_baseline";

    /** The baseline, as design §6 asks: one set-based UPDATE of the same changes. */
    static final String BASELINE_UPDATE = "UPDATE contact c SET company = s.company, job_title = s.job_title, "
            + "lifecycle_stage = s.lifecycle_stage, version = c.version + 1, updated_at = now() "
            + "FROM staging s WHERE s.id = c.id";

    record Load(double seconds, long peakRssKiB, double vacuumSeconds, long databaseBytes) {
    }

    record Sheet(Path file, double seconds, String method) {
    }

    record BaselineRun(double templateSeconds, double copySeconds, double updateSeconds, String method) {
    }

    /** A statement the server logged as slow while a job ran. */
    record SlowStatement(double seconds, String text) {
    }

    /**
     * One job's process: its run, Spring's "process running for" at start-up, the job's steps, counts and
     * reports; {@code app.timedOut()} is not null when it was stopped for running too long.
     */
    record JobRun(AppRun app, double startedSeconds, long executionId, double jobSeconds, List<StepTime> steps,
            Map<String, Long> counts, List<String> reports, List<SlowStatement> slow) {

        boolean finished() {
            return app.timedOut() == null;
        }

        /** From the end of the job to the summary on stdout: the job's reports, mostly. */
        double afterJobSeconds() {
            return app.firstOutputSeconds() - startedSeconds - jobSeconds;
        }

        double exitSeconds() {
            return app.seconds() - app.firstOutputSeconds();
        }
    }

    /** One run; {@code start} is null when prepare did not finish. */
    record ReimportRun(double templateSeconds, long importId, JobRun prepare, String stagedAnalyzed, JobRun start,
            double startupSeconds) {

        boolean finished() {
            return prepare.finished() && start != null && start.finished();
        }
    }

    private final int rows;
    private final Path jar;
    private final Path markdown;
    private final Path benchDir;
    private final Path logs;
    private final int runs;
    private final int slowMillis;
    private final double timeoutMinutes;
    private Postgres pg;
    private Psql psql;

    private ReimportBenchmark(int rows, Path jar, Path markdown, Path benchDir, int runs, int slowMillis,
            double timeoutMinutes) {
        this.rows = rows;
        this.jar = jar;
        this.markdown = markdown;
        this.benchDir = benchDir;
        this.logs = benchDir.resolve("logs");
        this.runs = runs;
        this.slowMillis = slowMillis;
        this.timeoutMinutes = timeoutMinutes;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 3 || (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help")))) {
            System.err.println("usage: ReimportBenchmark [ROWS (default 1000000)] [APP_JAR (default target/contact-batch.jar)]"
                    + " [MARKDOWN (default BENCHMARKS.md)]");
            System.exit(2);
        }
        int rows = args.length > 0 ? Integer.parseInt(args[0].replace("_", "").replace(",", "")) : 1_000_000;
        Path jar = Path.of(args.length > 1 ? args[1] : "target/contact-batch.jar").toAbsolutePath().normalize();
        Path markdown = Path.of(args.length > 2 ? args[2] : "BENCHMARKS.md").toAbsolutePath().normalize();
        Path benchDir = Path.of(System.getProperty("bench.dir", "bench-data")).toAbsolutePath().normalize();
        int runs = Integer.getInteger("bench.runs", 2);
        int slowMillis = Integer.getInteger("bench.slow-ms", 200);
        double timeoutMinutes = Double.parseDouble(System.getProperty("bench.job-timeout-min", "10"));
        if (rows < 1 || runs < 1) {
            throw new IllegalArgumentException("rows and bench.runs must be at least 1");
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no app jar at " + jar + ": build it first (./mvnw -q -B -DskipTests package)");
        }
        try {
            new ReimportBenchmark(rows, jar, markdown, benchDir, runs, slowMillis, timeoutMinutes).run();
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
        pg = Postgres.start(benchDir.resolve("pg-reimport"));
        Load load;
        Sheet sheet;
        List<BaselineRun> baselines = new ArrayList<>();
        List<ReimportRun> jobs = new ArrayList<>();
        String loadAtEnd;
        try {
            load = load(csv);
            sheet = writeSheet();
            for (int run = 1; run <= runs; run++) {
                say("run %d of %d", run, runs);
                BaselineRun b = baseline(sheet, run);
                baselines.add(b);
                say("  baseline: \\copy of the sheet %s, UPDATE %s (%s)", secs(b.copySeconds()), secs(b.updateSeconds()),
                        b.method());
                ReimportRun r = reimport(sheet, run);
                jobs.add(r);
                say("  prepare: %s, peak RSS %s; start: %s, peak RSS %s; start-up %s", jobTime(r.prepare()),
                        mib(r.prepare().app().peakRssKiB()), jobTime(r.start()),
                        r.start() == null ? "—" : mib(r.start().app().peakRssKiB()), secs(r.startupSeconds()));
                if (!r.finished() && run < runs) {
                    // every run starts from the same copy: it would be stopped again
                    say("  a job was stopped: the other runs are left out");
                    break;
                }
            }
            loadAtEnd = BenchSupport.loadAverage();
        }
        finally {
            pg.close();
        }
        String section = section(csv, load, sheet, baselines, jobs, loadAtStart, loadAtEnd);
        System.out.println();
        System.out.println(section);
        BenchSupport.writeMarkdown(markdown, section);
        say("wrote %s", markdown);
    }

    // ------------------------------------------------------------------ the data: upload, then the sheet

    /** The app's own upload into a fresh database, the one every run copies: for information, not a target. */
    private Load load(Path csv) throws Exception {
        say("loading %,d contacts with the app's upload into %s", rows, LOADED_DB);
        pg.freshDatabase(LOADED_DB);
        pg.checkpoint();
        AppRun app = BenchSupport.timeApp(app("reimport-load", "reimport-load", LOADED_DB,
                List.of("upload", csv.toString(), "--json", "--no-progress")),
                logs.resolve("reimport-load.json"), logs.resolve("reimport-load.stderr"));
        check(app, "upload", "reimport-load", Map.of("read", (long) rows, "inserted", (long) rows));
        long contacts = pg.queryLong(LOADED_DB, "select count(*) from contact");
        if (contacts != rows) {
            throw new BenchmarkFailure("the upload reported " + rows + " inserted but the contact table holds " + contacts);
        }
        say("  upload: %s, peak RSS %s", secs(app.seconds()), mib(app.peakRssKiB()));
        // a re-import works on a settled database: autovacuum has long been through all of it, staged_contact
        // included, whose statistics then know the upload's import and no other
        long start = System.nanoTime();
        pg.execute(LOADED_DB, "vacuum (analyze)");
        double vacuum = seconds(start);
        long bytes = pg.queryLong(LOADED_DB, "select pg_database_size(current_database())");
        say("  vacuum (analyze): %s; database %s", secs(vacuum), mb(bytes));
        return new Load(app.seconds(), app.peakRssKiB(), vacuum, bytes);
    }

    /**
     * The edited sheet, written by a query: company and job title changed on every row (within their
     * 50 characters), lifecycle stage as it is. Then the loaded database becomes the runs' template.
     */
    private Sheet writeSheet() throws Exception {
        Path file = benchDir.resolve("reimport-sheet-" + rows + ".csv");
        Files.deleteIfExists(file);
        String select = """
                select id, version,
                    coalesce(rtrim(left(company, 43)) || ' ', '') || '(2026)' as company,
                    coalesce(rtrim(left(job_title, 43)) || ' ', '') || '(2026)' as job_title,
                    lifecycle_stage
                from contact order by id""";
        double seconds;
        String method;
        if (psql.present()) {
            seconds = psql.time(pg, LOADED_DB, "\\copy (" + select.replace('\n', ' ') + ") to '"
                    + file.toString().replace("'", "''") + "' with (format csv, header true)",
                    logs.resolve("reimport-sheet.log"));
            method = "psql \\copy (select …) to";
        }
        else {
            long start = System.nanoTime();
            try (Connection c = pg.connect(LOADED_DB); OutputStream out = Files.newOutputStream(file)) {
                c.unwrap(PGConnection.class).getCopyAPI().copyOut("copy (" + select + ") to stdout with (format csv, "
                        + "header true)", out);
            }
            seconds = seconds(start);
            method = "pgjdbc CopyManager COPY (select …) TO STDOUT";
        }
        long lines;
        try (var stream = Files.lines(file, StandardCharsets.UTF_8)) {
            lines = stream.count();
        }
        String header;
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            header = reader.readLine();
        }
        if (lines != rows + 1L || !String.join(",", SHEET_COLUMNS).equals(header)) {
            throw new BenchmarkFailure("the sheet " + file + " has " + lines + " lines and header '" + header
                    + "', expected " + (rows + 1) + " and " + String.join(",", SHEET_COLUMNS));
        }
        say("wrote the sheet %s (%s) in %s", file, mb(Files.size(file)), secs(seconds));
        // the runs copy it: nobody may connect to it any more (autovacuum included)
        pg.execute("postgres", "alter database " + LOADED_DB + " with is_template true allow_connections false");
        pg.checkpoint();
        return new Sheet(file, seconds, method);
    }

    /** A fresh copy of the loaded database; FILE_COPY copies its files, as fast as the disk allows. */
    private double copyOfLoaded(String name) throws Exception {
        pg.dropDatabase(name);
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                pg.execute("postgres", "create database " + name + " template " + LOADED_DB + " strategy file_copy");
                break;
            }
            catch (SQLException e) {
                // 55006: the template is being accessed by other users (an autovacuum worker, briefly)
                if (!"55006".equals(e.getSQLState()) || attempt >= 60) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
        double seconds = seconds(start);
        pg.checkpoint();
        return seconds;
    }

    // ------------------------------------------------------------------ baseline

    private BaselineRun baseline(Sheet sheet, int run) throws Exception {
        double template = copyOfLoaded(BASELINE_DB);
        pg.execute(BASELINE_DB, "create table staging (id bigint, version integer, company text, job_title text, "
                + "lifecycle_stage text)");
        pg.checkpoint();
        String columns = String.join(",", SHEET_COLUMNS);
        double copy;
        double update;
        String method;
        if (psql.present()) {
            copy = psql.time(pg, BASELINE_DB, "\\copy staging(" + columns + ") from '"
                    + sheet.file().toString().replace("'", "''") + "' with (format csv, header true)",
                    logs.resolve("reimport-baseline-copy-run" + run + ".log"));
            pg.execute(BASELINE_DB, "analyze staging");
            pg.checkpoint();
            update = psql.time(pg, BASELINE_DB, BASELINE_UPDATE, logs.resolve("reimport-baseline-update-run" + run + ".log"));
            method = "psql";
        }
        else {
            long start = System.nanoTime();
            try (Connection c = pg.connect(BASELINE_DB); InputStream in = Files.newInputStream(sheet.file())) {
                c.unwrap(PGConnection.class).getCopyAPI().copyIn("copy staging(" + columns
                        + ") from stdin with (format csv, header true)", in, 1 << 16);
            }
            copy = seconds(start);
            pg.execute(BASELINE_DB, "analyze staging");
            pg.checkpoint();
            start = System.nanoTime();
            try (Connection c = pg.connect(BASELINE_DB); Statement s = c.createStatement()) {
                s.executeUpdate(BASELINE_UPDATE);
            }
            update = seconds(start);
            method = "pgjdbc";
        }
        long staged = pg.queryLong(BASELINE_DB, "select count(*) from staging");
        long updated = pg.queryLong(BASELINE_DB, "select count(*) from contact where version = 1 and company like '%(2026)'");
        if (staged != rows || updated != rows) {
            throw new BenchmarkFailure("the baseline staged " + staged + " rows and updated " + updated + ", expected "
                    + rows + " each");
        }
        if (!Boolean.getBoolean("bench.keep-db")) {
            pg.dropDatabase(BASELINE_DB);
        }
        return new BaselineRun(template, copy, update, method);
    }

    // ------------------------------------------------------------------ the jobs

    private ReimportRun reimport(Sheet sheet, int run) throws Exception {
        double template = copyOfLoaded(JOB_DB);
        // the server logs this database's slow statements, to see where a step spends its time
        pg.execute("postgres", "alter database " + JOB_DB + " set log_min_duration_statement = " + slowMillis);

        JobRun prepare = job(run, "prepare", List.of("reimport", "prepare", sheet.file().toString(), "--json",
                "--no-progress"), Map.of("read", (long) rows, "toUpdate", (long) rows, "unchanged", 0L, "errors", 0L,
                        "warnings", 0L, "changes", 2L * rows));
        String stagedAnalyzed = stagedAnalyzed(prepare);
        long importId = prepare.app().summary() == null ? -1 : prepare.app().summary().path("importId").asLong(-1);
        JobRun start = null;
        if (prepare.finished()) {
            if (importId < 0) {
                throw new BenchmarkFailure("prepare printed no importId: " + prepare.app().json());
            }
            pg.checkpoint();
            start = job(run, "start", List.of("reimport", "start", Long.toString(importId), "--json", "--no-progress"),
                    Map.of("updated", (long) rows, "conflicts", 0L));
            long updated = pg.queryLong(JOB_DB,
                    "select count(*) from contact where version = 1 and company like '%(2026)'");
            if (start.finished() && updated != rows) {
                throw new BenchmarkFailure("start reported " + rows + " updated but " + updated
                        + " contacts are at version 1 with the new company");
            }
        }

        // JVM and Spring start-up, against the same database
        double startup = BenchSupport.timeAppPlain(app("reimport-jobs-list-run" + run, "reimport-run" + run, JOB_DB,
                List.of("jobs", "list")), logs.resolve("reimport-jobs-list-run" + run + ".out"));
        if (!Boolean.getBoolean("bench.keep-db")) {
            pg.dropDatabase(JOB_DB);
        }
        return new ReimportRun(template, importId, prepare, stagedAnalyzed, start, startup);
    }

    /**
     * When autovacuum analyzed staged_contact, against the check step: the check's statements are planned
     * with what the statistics say about the new import's rows.
     */
    private String stagedAnalyzed(JobRun prepare) throws SQLException {
        java.time.Instant analyzed = null;
        long count = 0;
        try (Connection c = pg.connect(JOB_DB); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select last_autoanalyze, autoanalyze_count from pg_stat_user_tables where relname = 'staged_contact'")) {
            if (rs.next()) {
                var at = rs.getObject(1, java.time.OffsetDateTime.class);
                analyzed = at == null ? null : at.toInstant();
                count = rs.getLong(2);
            }
        }
        java.time.Instant jobStart = null;
        java.time.Instant checkStart = null;
        java.time.Instant checkEnd = null;
        try (Connection c = pg.connect(JOB_DB); PreparedStatement s = c.prepareStatement("""
                select e.start_time, st.start_time, st.end_time from batch_job_execution e
                left join batch_step_execution st on st.job_execution_id = e.job_execution_id
                    and st.step_name = 'reimportCheck'
                where e.job_execution_id = ?""")) {
            s.setLong(1, prepare.executionId());
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    jobStart = instant(rs.getObject(1, java.time.LocalDateTime.class));
                    checkStart = instant(rs.getObject(2, java.time.LocalDateTime.class));
                    checkEnd = instant(rs.getObject(3, java.time.LocalDateTime.class));
                }
            }
        }
        if (analyzed == null || jobStart == null) {
            return "not during prepare";
        }
        java.time.Instant from = jobStart;
        Function<java.time.Instant, String> at = t -> String.format(Locale.ROOT, "+%.1f s",
                java.time.Duration.between(from, t).toMillis() / 1000.0);
        String when = checkStart == null ? ""
                : analyzed.isBefore(checkStart) ? ", before the check (" + at.apply(checkStart) + ")"
                : checkEnd == null || analyzed.isBefore(checkEnd) ? ", while the check ran (from " + at.apply(checkStart) + ")"
                : ", after the check";
        return (count > 1 ? "last of " + count + " at " : "at ") + at.apply(analyzed) + when;
    }

    private static java.time.Instant instant(java.time.LocalDateTime time) {
        // Spring Batch writes the app JVM's local time; the app runs on this machine with this time zone
        return time == null ? null : time.atZone(java.time.ZoneId.systemDefault()).toInstant();
    }

    /** What the job's database connections are busy with, then cancels them (the job fails and ends). */
    private String stopJobStatements() {
        StringBuilder busy = new StringBuilder();
        try (Connection c = pg.connect("postgres"); PreparedStatement s = c.prepareStatement("""
                select pid, extract(epoch from now() - query_start), query from pg_stat_activity
                where datname = ? and state = 'active' and pid <> pg_backend_pid() order by query_start""")) {
            s.setString(1, JOB_DB);
            List<Integer> pids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                    busy.append(busy.isEmpty() ? "" : "; ").append(String.format(Locale.ROOT, "for %s in `%s`",
                            secs(rs.getDouble(2)), abbreviate(rs.getString(3).replaceAll("\\s+", " ").trim(), 150)));
                }
            }
            for (int pid : pids) {
                try (Statement cancel = c.createStatement()) {
                    cancel.execute("select pg_cancel_backend(" + pid + ")");
                }
            }
        }
        catch (SQLException e) {
            busy.append(" (could not look: ").append(e.getMessage()).append(')');
        }
        return busy.isEmpty() ? "no statement was running" : "busy " + busy;
    }

    private JobRun job(int run, String what, List<String> args, Map<String, Long> expected) throws Exception {
        String name = "reimport-" + what + "-run" + run;
        Path serverLog = pg.log();
        long logFrom = Files.exists(serverLog) ? Files.size(serverLog) : 0;
        AppRun app = BenchSupport.timeApp(app(name, "reimport-run" + run, JOB_DB, args), logs.resolve(name + ".json"),
                logs.resolve(name + ".stderr"), timeoutMinutes * 60.0, this::stopJobStatements);
        if (app.timedOut() != null) {
            long executionId = app.summary() == null ? -1 : app.summary().path("executionId").asLong(-1);
            return new JobRun(app, BenchSupport.springStartedSeconds(logs.resolve(name + ".log")), executionId,
                    executionId < 0 ? Double.NaN : pg.jobSeconds(JOB_DB, executionId),
                    executionId < 0 ? List.of() : pg.steps(JOB_DB, executionId), Map.of(), List.of(),
                    slowStatements(serverLog, logFrom));
        }
        Map<String, Long> counts = check(app, "reimport " + what, name, expected);
        long executionId = app.summary().path("executionId").asLong();
        List<String> reports = new ArrayList<>();
        try (Connection c = pg.connect(JOB_DB); PreparedStatement s = c.prepareStatement(
                "select kind, rows, bytes from job_report where job_execution_id = ? order by id")) {
            s.setLong(1, executionId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    reports.add(String.format(Locale.ROOT, "%s %,d rows %s", rs.getString(1), rs.getLong(2),
                            mb(rs.getLong(3))));
                }
            }
        }
        return new JobRun(app, BenchSupport.springStartedSeconds(logs.resolve(name + ".log")), executionId,
                pg.jobSeconds(JOB_DB, executionId), pg.steps(JOB_DB, executionId), counts, reports,
                slowStatements(serverLog, logFrom));
    }

    /** Fails unless the app exited 0 with a COMPLETED JSON summary whose counts are as expected; gives its counts. */
    private Map<String, Long> check(AppRun app, String what, String logName, Map<String, Long> expected) {
        JsonNode summary = app.summary();
        String problem = null;
        if (app.exit() != 0) {
            problem = what + " exited with " + app.exit();
        }
        else if (summary == null) {
            problem = what + " printed no JSON summary";
        }
        else if (!"COMPLETED".equals(summary.path("status").asString(""))) {
            problem = what + "'s status is " + summary.path("status");
        }
        else {
            for (Map.Entry<String, Long> count : expected.entrySet()) {
                if (summary.path("counts").path(count.getKey()).asLong(-1) != count.getValue()) {
                    problem = what + "'s count " + count.getKey() + " is " + summary.path("counts").path(count.getKey())
                            + ", expected " + count.getValue();
                    break;
                }
            }
        }
        if (problem != null) {
            throw new BenchmarkFailure(problem + "\n  stdout: " + (app.json() == null ? tail(app.out(), 5) : app.json())
                    + "\n  stderr (" + app.err() + "):\n" + tail(app.err(), 30)
                    + "\n  log: " + logs.resolve(logName + ".log"));
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        summary.path("counts").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
        return counts;
    }

    /** The app against a database of this run's server, its log in logs/LOGNAME.log, its reports in reports/REPORTS/. */
    private ProcessBuilder app(String logName, String reports, String database, List<String> appArgs)
            throws IOException {
        // one log per process and benchmark run: the start-up time is read from it
        Files.deleteIfExists(logs.resolve(logName + ".log"));
        return BenchSupport.app(jar, logs.resolve(logName + ".log"), benchDir.resolve("reports").resolve(reports),
                pg.jdbcUrl(database), appArgs);
    }

    private static final Pattern LOG_LINE = Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\S* \\S+ \\[\\d+\\] ");
    private static final Pattern DURATION = Pattern.compile("LOG:  duration: ([0-9.]+) ms  (?:statement|execute [^:]*): (.*)");

    /** The statements the server logged as slow (log_min_duration_statement) since byte {@code from} of its log. */
    private static List<SlowStatement> slowStatements(Path serverLog, long from) throws IOException {
        if (!Files.exists(serverLog)) {
            return List.of();
        }
        byte[] bytes;
        try (RandomAccessFile f = new RandomAccessFile(serverLog.toFile(), "r")) {
            f.seek(from);
            bytes = new byte[(int) Math.min(Integer.MAX_VALUE - 16, f.length() - from)];
            f.readFully(bytes);
        }
        List<SlowStatement> slow = new ArrayList<>();
        SlowStatement current = null;
        StringBuilder text = new StringBuilder();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (LOG_LINE.matcher(line).find()) {
                if (current != null) {
                    slow.add(new SlowStatement(current.seconds(), text.toString().replaceAll("\\s+", " ").trim()));
                    current = null;
                }
                Matcher m = DURATION.matcher(line);
                if (m.find()) {
                    current = new SlowStatement(Double.parseDouble(m.group(1)) / 1000, "");
                    text.setLength(0);
                    text.append(m.group(2));
                }
            }
            else if (current != null) {
                text.append(' ').append(line);
            }
        }
        if (current != null) {
            slow.add(new SlowStatement(current.seconds(), text.toString().replaceAll("\\s+", " ").trim()));
        }
        slow.sort(Comparator.comparingDouble(SlowStatement::seconds).reversed());
        return slow;
    }

    // ------------------------------------------------------------------ report

    private String section(Path csv, Load load, Sheet sheet, List<BaselineRun> baselines, List<ReimportRun> jobs,
            String loadAtStart, String loadAtEnd) throws IOException {
        int n = jobs.size();
        List<ReimportRun> prepared = jobs.stream().filter(r -> r.prepare().finished()).toList();
        List<ReimportRun> finished = jobs.stream().filter(ReimportRun::finished).toList();
        double bestUpdate = baselines.stream().mapToDouble(BaselineRun::updateSeconds).min().orElseThrow();
        double bestCopy = baselines.stream().mapToDouble(BaselineRun::copySeconds).min().orElseThrow();
        double bestStart = finished.stream().mapToDouble(r -> r.start().app().seconds()).min().orElse(Double.NaN);
        double bestStartJob = finished.stream().mapToDouble(r -> r.start().jobSeconds()).min().orElse(Double.NaN);
        double bestPrepare = prepared.stream().mapToDouble(r -> r.prepare().app().seconds()).min().orElse(Double.NaN);
        double bestStartup = jobs.stream().mapToDouble(ReimportRun::startupSeconds).min().orElseThrow();
        double ratio = bestStart / bestUpdate;
        long peakPrepare = jobs.stream().mapToLong(r -> r.prepare().app().peakRssKiB()).max().orElseThrow();
        long peakStart = jobs.stream().filter(r -> r.start() != null).mapToLong(r -> r.start().app().peakRssKiB())
                .max().orElse(0);
        boolean viaPsql = baselines.get(0).method().equals("psql");

        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "## Re-import by ID (%,d rows%s)%n%n", rows, pg.headingNote()));
        if (finished.isEmpty()) {
            md.append(String.format(Locale.ROOT, "**Target (start ≤ %.0f× one set-based `UPDATE … FROM`, in `%s`): not "
                    + "measured** — no run got through prepare and start (see below; `UPDATE` %s).", TARGET_RATIO, XMX,
                    secs(bestUpdate)));
        }
        else {
            md.append(String.format(Locale.ROOT,
                    "**Target (start ≤ %.0f× one set-based `UPDATE … FROM`, in `%s`): %s** — ratio **%.2f×** "
                            + "(`reimport start` %s / `UPDATE` %s, best of %d / %d runs). **Target (prepare ≤ %.0f× the "
                            + "same `UPDATE`): %s** — ratio **%.2f×** (`reimport prepare` %s; `\\copy` of the same sheet "
                            + "into a bare table: %s). Peak RSS of the JVM: prepare %s, start %s.",
                    TARGET_RATIO, XMX, ratio <= TARGET_RATIO ? "met" : "not met", ratio, secs(bestStart),
                    secs(bestUpdate), finished.size(), n, TARGET_RATIO,
                    bestPrepare / bestUpdate <= TARGET_RATIO ? "met" : "not met", bestPrepare / bestUpdate,
                    secs(bestPrepare), secs(bestCopy), mib(peakPrepare), mib(peakStart)));
        }
        for (int i = 0; i < n; i++) {
            ReimportRun r = jobs.get(i);
            JobRun stopped = !r.prepare().finished() ? r.prepare() : r.start() != null && !r.start().finished() ? r.start() : null;
            if (stopped != null) {
                md.append(String.format(Locale.ROOT, " **Run %d: `reimport %s` did not finish: stopped after %s, %s.**",
                        i + 1, stopped == r.prepare() ? "prepare" : "start", secs(stopped.app().seconds()),
                        stopped.app().timedOut()));
            }
        }
        md.append("\n\n");
        md.append("| | value |\n|---|---|\n");
        md.append("| date | ").append(BenchSupport.date()).append(" |\n");
        md.append("| machine | ").append(BenchSupport.machine(loadAtStart)).append(", at the end ").append(loadAtEnd)
                .append(" |\n");
        md.append("| Java | ").append(BenchSupport.javaVersion()).append(" |\n");
        md.append("| PostgreSQL | ").append(pg.description()).append(" |\n");
        md.append(String.format(Locale.ROOT, "| data | %,d contacts loaded by `contact-batch upload` of `%s` (%s, "
                + "ContactGenerator seed %d) in %s (peak RSS %s), then `vacuum (analyze)` of the whole database (%s) as "
                + "autovacuum leaves a settled one (the statistics of `staged_contact` then know only the upload's "
                + "import); %s. Each run works on its own `CREATE DATABASE … TEMPLATE %s STRATEGY FILE_COPY` copy of it "
                + "(not timed), the baseline on another |%n", rows, relative(csv), mb(Files.size(csv)), BenchSupport.SEED,
                secs(load.seconds()), mib(load.peakRssKiB()), secs(load.vacuumSeconds()), mb(load.databaseBytes()),
                LOADED_DB));
        md.append(String.format(Locale.ROOT, "| sheet | `%s`, %s, written by %s in %s (not timed): every contact's "
                + "`id,version,company,job_title,lifecycle_stage`, company and job title changed "
                + "(`coalesce(rtrim(left(x, 43)) \\|\\| ' ', '') \\|\\| '(2026)'`), lifecycle stage kept: %,d rows to "
                + "update, %,d changes |%n", relative(sheet.file()), mb(Files.size(sheet.file())), sheet.method(),
                secs(sheet.seconds()), rows, 2L * rows));
        md.append("| baseline | ").append(viaPsql ? "with " + psql.note() + ": " : "with pgjdbc (psql not installed): ")
                .append("`\\copy staging(id,version,company,job_title,lifecycle_stage) from SHEET` into a table "
                        + "without keys or indexes (timed), `analyze staging` (not timed), then `")
                .append(BASELINE_UPDATE).append("` (timed alone) |\n");
        md.append("| jobs | `").append(BenchSupport.LAUNCH).append(" reimport prepare SHEET --json --no-progress`"
                + ", then `reimport start ID --json --no-progress`; wall clock of each process; a job running over ")
                .append(String.format(Locale.ROOT, "%.4g", timeoutMinutes)).append(" min is stopped |\n\n");

        md.append("| figure |");
        for (int i = 1; i <= n; i++) {
            md.append(" run ").append(i).append(" |");
        }
        md.append(" used / note |\n|---|").append("---|".repeat(n + 1)).append('\n');
        row(md, "`UPDATE … FROM staging` (baseline)", cells(baselines, b -> secs(b.updateSeconds())),
                secs(bestUpdate) + " (best)");
        row(md, "`\\copy` of the sheet into `staging`", cells(baselines, b -> secs(b.copySeconds())),
                secs(bestCopy) + " (best; for information)");
        row(md, "`reimport start` (wall clock)", cells(jobs, r -> jobTime(r.start())),
                finished.isEmpty() ? "—" : secs(bestStart) + " (best)");
        row(md, "ratio start / `UPDATE`", IntStream.range(0, n).mapToObj(i -> jobs.get(i).finished()
                ? ratio(jobs.get(i).start().app().seconds() / baselines.get(i).updateSeconds()) : "—").toList(),
                finished.isEmpty() ? "—" : String.format(Locale.ROOT, "**%.2f×** (best / best; target ≤ %.0f×)", ratio,
                        TARGET_RATIO));
        row(md, "ratio start's job alone / `UPDATE`", IntStream.range(0, n).mapToObj(i -> jobs.get(i).finished()
                ? ratio(jobs.get(i).start().jobSeconds() / baselines.get(i).updateSeconds()) : "—").toList(),
                finished.isEmpty() ? "—" : ratio(bestStartJob / bestUpdate)
                        + " (best / best, without JVM start-up, result report and exit)");
        row(md, "`reimport prepare` (wall clock)", cells(jobs, r -> jobTime(r.prepare())),
                prepared.isEmpty() ? "—" : secs(bestPrepare) + " (best)");
        row(md, "ratio prepare / `UPDATE`", IntStream.range(0, n).mapToObj(i -> jobs.get(i).prepare().finished()
                ? ratio(jobs.get(i).prepare().app().seconds() / baselines.get(i).updateSeconds()) : "—").toList(),
                prepared.isEmpty() ? "—" : String.format(Locale.ROOT, "**%.2f×** (best / best; target ≤ %.0f×)",
                        bestPrepare / bestUpdate, TARGET_RATIO));
        row(md, "ratio prepare / `\\copy` of the sheet", IntStream.range(0, n).mapToObj(i -> jobs.get(i).prepare().finished()
                ? ratio(jobs.get(i).prepare().app().seconds() / baselines.get(i).copySeconds()) : "—").toList(),
                prepared.isEmpty() ? "—" : ratio(bestPrepare / bestCopy) + " (for information; no target)");
        row(md, "peak RSS of the prepare JVM (`" + XMX + "`)", cells(jobs, r -> mib(r.prepare().app().peakRssKiB())),
                mib(peakPrepare) + " (max)");
        row(md, "peak RSS of the start JVM (`" + XMX + "`)",
                cells(jobs, r -> r.start() == null ? "—" : mib(r.start().app().peakRssKiB())),
                peakStart == 0 ? "—" : mib(peakStart) + " (max)");
        row(md, "JVM + Spring start-up (`jobs list`)", cells(jobs, r -> secs(r.startupSeconds())),
                secs(bestStartup) + " (best)");
        jobRows(md, jobs, "prepare", ReimportRun::prepare);
        row(md, "prepare: autovacuum's analyze of `staged_contact` (from the job's start)",
                cells(jobs, ReimportRun::stagedAnalyzed), "the check's statements are planned with the statistics "
                        + "of `staged_contact` at that moment");
        jobRows(md, jobs, "start", ReimportRun::start);
        md.append('\n');

        for (String what : List.of("prepare", "start")) {
            Function<ReimportRun, JobRun> job = what.equals("prepare") ? ReimportRun::prepare : ReimportRun::start;
            List<ReimportRun> ran = jobs.stream().filter(r -> job.apply(r) != null).toList();
            if (ran.isEmpty()) {
                continue;
            }
            // the best finished run, else the first
            ReimportRun shown = ran.stream().filter(r -> job.apply(r).finished())
                    .min(Comparator.comparingDouble(r -> job.apply(r).app().seconds())).orElse(ran.get(0));
            List<SlowStatement> slow = job.apply(shown).slow();
            md.append(String.format(Locale.ROOT, "Statements of `reimport %s` that took ≥ %s, by kind (server log, "
                    + "`log_min_duration_statement`, run %d): ", what, secs(slowMillis / 1000.0), jobs.indexOf(shown) + 1));
            if (slow.isEmpty()) {
                md.append("none.\n\n");
                continue;
            }
            record Kind(String text, int count, double total, double longest) {
            }
            Map<String, Kind> kinds = new LinkedHashMap<>();
            for (SlowStatement statement : slow) {
                String text = abbreviate(statement.text(), 110);
                kinds.merge(text, new Kind(text, 1, statement.seconds(), statement.seconds()),
                        (a, b) -> new Kind(a.text(), a.count() + b.count(), a.total() + b.total(),
                                Math.max(a.longest(), b.longest())));
            }
            md.append(String.format(Locale.ROOT, "%d, %s in all.%n%n", slow.size(),
                    secs(slow.stream().mapToDouble(SlowStatement::seconds).sum())));
            md.append("| statement (start of) | times | total | longest |\n|---|---|---|---|\n");
            kinds.values().stream().sorted(Comparator.comparingDouble(Kind::total).reversed()).limit(10)
                    .forEach(k -> md.append("| `").append(k.text().replace("|", "\\|")).append("` | ").append(k.count())
                            .append(" | ").append(secs(k.total())).append(" | ").append(secs(k.longest())).append(" |\n"));
            md.append('\n');
        }

        md.append("A job's wall clock = JVM + Spring start-up + the job + its reports (written after the job's end_time) "
                + "and summary + exit (the summary's time is when stdout first had something, to 50 ms); the per-step times "
                + "come from `batch_step_execution` (end_time − start_time). The better of the runs of each is used for the "
                + "ratio. Run it with `bench/reimport.sh [ROWS]`. Logs, JSON summaries and reports of the runs: `")
                .append(relative(logs)).append("/reimport-*`, `").append(relative(benchDir.resolve("reports")))
                .append("/reimport-*/`; the server's log: `")
                .append(relative(pg.log())).append("`.\n");
        return md.toString();
    }

    private static String jobTime(JobRun job) {
        if (job == null) {
            return "—";
        }
        return job.finished() ? secs(job.app().seconds()) : "stopped after " + secs(job.app().seconds());
    }

    private void jobRows(StringBuilder md, List<ReimportRun> jobs, String what, Function<ReimportRun, JobRun> job) {
        Function<Function<JobRun, String>, List<String>> each = f -> cells(jobs, r -> job.apply(r) == null ? "—"
                : f.apply(job.apply(r)));
        JobRun first = jobs.stream().map(job).filter(j -> j != null && j.finished()).findFirst()
                .orElse(jobs.stream().map(job).filter(j -> j != null).findFirst().orElse(null));
        if (first == null) {
            return;
        }
        row(md, what + ": JVM + Spring start-up (the app's log: \"process running for\")",
                each.apply(j -> secs(j.startedSeconds())), "");
        row(md, what + ": job start → end (batch_job_execution)", each.apply(j -> secs(j.jobSeconds())), "");
        row(md, what + ": after the job until the JSON summary (reports)",
                each.apply(j -> j.finished() ? secs(j.afterJobSeconds()) : "—"), String.join("; ", first.reports()));
        row(md, what + ": after the JSON summary until the process exits",
                each.apply(j -> j.finished() ? secs(j.exitSeconds()) : "—"), "");
        for (String name : first.steps().stream().map(StepTime::name).toList()) {
            String counts = "";
            for (ReimportRun r : jobs) {
                Optional<StepTime> step = job.apply(r) == null ? Optional.empty()
                        : job.apply(r).steps().stream().filter(s -> s.name().equals(name)).findFirst();
                if (step.isPresent() && step.get().status().equals("COMPLETED")) {
                    counts = String.format(Locale.ROOT, "read %,d, written %,d, commits %,d", step.get().read(),
                            step.get().written(), step.get().commits());
                }
            }
            row(md, what + ": step `" + name + "`", each.apply(j -> j.steps().stream().filter(s -> s.name().equals(name))
                    .findFirst().map(s -> s.status().equals("COMPLETED") ? secs(s.seconds())
                            : s.status().toLowerCase(Locale.ROOT) + " after " + secs(s.seconds()))
                    .orElse("—")), counts);
        }
    }

    private static <T> List<String> cells(List<T> runs, Function<T, String> cell) {
        return runs.stream().map(cell).toList();
    }

    private static String abbreviate(String text, int max) {
        String t = text.replace('`', '\'');
        return t.length() <= max ? t : t.substring(0, max - 1) + "…";
    }
}
