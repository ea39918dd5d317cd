package org.contactbatch.bench;

import static org.contactbatch.bench.BenchHarness.XMX;
import static org.contactbatch.bench.BenchHarness.abbreviate;
import static org.contactbatch.bench.BenchHarness.best;
import static org.contactbatch.bench.BenchHarness.cells;
import static org.contactbatch.bench.BenchHarness.figureTable;
import static org.contactbatch.bench.BenchHarness.mb;
import static org.contactbatch.bench.BenchHarness.mib;
import static org.contactbatch.bench.BenchHarness.most;
import static org.contactbatch.bench.BenchHarness.ratio;
import static org.contactbatch.bench.BenchHarness.relative;
import static org.contactbatch.bench.BenchHarness.row;
import static org.contactbatch.bench.BenchHarness.say;
import static org.contactbatch.bench.BenchHarness.seconds;
import static org.contactbatch.bench.BenchHarness.secs;
import static org.contactbatch.bench.BenchHarness.stepRows;

import java.io.IOException;
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
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.contactbatch.bench.BenchHarness.AppBenchmark;
import org.contactbatch.bench.BenchHarness.AppRun;
import org.contactbatch.bench.BenchHarness.Args;
import org.contactbatch.bench.BenchHarness.BenchmarkFailure;
import org.contactbatch.bench.BenchHarness.Copy;
import org.contactbatch.bench.BenchHarness.Load;
import org.contactbatch.bench.BenchHarness.StepTime;

/**
 * Re-import by ID against its baseline, the least any re-import must do: one set-based {@code UPDATE … FROM} of the same
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
 * java -cp bench-classes:test-classes:classes:… org.contactbatch.bench.ReimportBenchmark [ROWS] [APP_JAR] [MARKDOWN]
 * </pre>
 * defaults: 1000000, target/contact-batch.jar, BENCHMARKS.md. System properties: {@code bench.dir}
 * (default {@code bench-data}), {@code bench.runs} (default 2), {@code bench.keep-db} (keep the
 * PostgreSQL data directory afterwards), {@code bench.slow-ms} (the jobs' statements logged by the
 * server from this duration on, default 200), {@code bench.job-timeout-min} (a job
 * running longer is stopped, its statement then noted in the section, and the other runs are left out;
 * default 10). Environment: {@code PSQL} (the psql to use).
 */
public final class ReimportBenchmark extends AppBenchmark {

    static final double TARGET_RATIO = 2.0;
    static final String SUFFIX = " (2026)";
    static final List<String> SHEET_COLUMNS = List.of("id", "version", "company", "job_title", "lifecycle_stage");

    static final String LOADED_DB = "reimport_loaded";
    static final String JOB_DB = "reimport_run";
    static final String BASELINE_DB = "update_baseline";

    /** The baseline: one set-based UPDATE of the same changes, the database's own floor for this work. */
    static final String BASELINE_UPDATE = "UPDATE contact c SET company = s.company, job_title = s.job_title, "
            + "lifecycle_stage = s.lifecycle_stage, version = c.version + 1, updated_at = now() "
            + "FROM staging s WHERE s.id = c.id";

    record Sheet(Path file, Copy copy) {
    }

    record BaselineRun(double templateSeconds, double copySeconds, double updateSeconds, boolean viaPsql) {
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

    private final int slowMillis = Integer.getInteger("bench.slow-ms", 200);
    private final double timeoutMinutes = Double.parseDouble(System.getProperty("bench.job-timeout-min", "10"));

    private ReimportBenchmark(Args args) {
        super(args);
    }

    public static void main(String[] argv) throws Exception {
        BenchHarness.main("ReimportBenchmark", argv, 1_000_000, true,
                args -> new ReimportBenchmark(args).run("pg-reimport"));
    }

    @Override
    protected String measure() throws Exception {
        // a re-import works on a settled database: autovacuum has long been through all of it, staged_contact
        // included, whose statistics then know the upload's import and no other
        Load load = BenchHarness.loadContacts(pg, LOADED_DB, app("reimport-load", "reimport-load", LOADED_DB,
                List.of("upload", csv.toString(), "--json", "--no-progress")), logs, "reimport-load", rows, "");
        Sheet sheet = writeSheet();
        List<BaselineRun> baselines = new ArrayList<>();
        List<ReimportRun> jobs = new ArrayList<>();
        for (int run = 1; run <= args.runs(); run++) {
            say("run %d of %d", run, args.runs());
            BaselineRun b = baseline(sheet, run);
            baselines.add(b);
            say("  baseline: \\copy of the sheet %s, UPDATE %s (%s)", secs(b.copySeconds()), secs(b.updateSeconds()),
                    b.viaPsql() ? "psql" : "pgjdbc");
            ReimportRun r = reimport(sheet, run);
            jobs.add(r);
            say("  prepare: %s, peak RSS %s; start: %s, peak RSS %s; start-up %s", jobTime(r.prepare()),
                    mib(r.prepare().app().peakRssKiB()), jobTime(r.start()),
                    r.start() == null ? "—" : mib(r.start().app().peakRssKiB()), secs(r.startupSeconds()));
            if (!r.finished() && run < args.runs()) {
                // every run starts from the same copy: it would be stopped again
                say("  a job was stopped: the other runs are left out");
                break;
            }
        }
        return section(load, sheet, baselines, jobs, BenchHarness.loadAverage());
    }

    // ------------------------------------------------------------------ the data: upload, then the sheet

    /**
     * The edited sheet, written by a query: company and job title changed on every row (within their
     * 50 characters), lifecycle stage as it is. Then the loaded database becomes the runs' template.
     */
    private Sheet writeSheet() throws Exception {
        Path file = args.benchDir().resolve("reimport-sheet-" + rows + ".csv");
        Files.deleteIfExists(file);
        String select = """
                select id, version,
                    coalesce(rtrim(left(company, 43)) || ' ', '') || '(2026)' as company,
                    coalesce(rtrim(left(job_title, 43)) || ' ', '') || '(2026)' as job_title,
                    lifecycle_stage
                from contact order by id""";
        Copy copy = psql.copyOut(pg, LOADED_DB, select, file, logs.resolve("reimport-sheet.log"));
        long lines = BenchHarness.lines(file);
        String header;
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            header = reader.readLine();
        }
        if (lines != rows + 1L || !String.join(",", SHEET_COLUMNS).equals(header)) {
            throw new BenchmarkFailure("the sheet " + file + " has " + lines + " lines and header '" + header
                    + "', expected " + (rows + 1) + " and " + String.join(",", SHEET_COLUMNS));
        }
        say("wrote the sheet %s (%s) in %s", file, mb(Files.size(file)), secs(copy.seconds()));
        // the runs copy it: nobody may connect to it any more (autovacuum included)
        pg.execute("postgres", "alter database " + LOADED_DB + " with is_template true allow_connections false");
        pg.checkpoint();
        return new Sheet(file, copy);
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
        Copy copy = psql.copyIn(pg, BASELINE_DB, "staging(" + String.join(",", SHEET_COLUMNS) + ")", sheet.file(),
                logs.resolve("reimport-baseline-copy-run" + run + ".log"));
        pg.execute(BASELINE_DB, "analyze staging");
        pg.checkpoint();
        double update;
        if (copy.viaPsql()) {
            update = psql.time(pg, BASELINE_DB, BASELINE_UPDATE, logs.resolve("reimport-baseline-update-run" + run + ".log"));
        }
        else {
            long start = System.nanoTime();
            try (Connection c = pg.connect(BASELINE_DB); Statement s = c.createStatement()) {
                s.executeUpdate(BASELINE_UPDATE);
            }
            update = seconds(start);
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
        return new BaselineRun(template, copy.seconds(), update, copy.viaPsql());
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
        double startup = BenchHarness.timeAppPlain(app("reimport-jobs-list-run" + run, "reimport-run" + run, JOB_DB,
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
        AppRun app = BenchHarness.timeApp(app(name, "reimport-run" + run, JOB_DB, args), logs.resolve(name + ".json"),
                logs.resolve(name + ".stderr"), timeoutMinutes * 60.0, this::stopJobStatements);
        if (app.timedOut() != null) {
            long executionId = app.summary() == null ? -1 : app.summary().path("executionId").asLong(-1);
            return new JobRun(app, BenchHarness.springStartedSeconds(logs.resolve(name + ".log")), executionId,
                    executionId < 0 ? Double.NaN : pg.jobSeconds(JOB_DB, executionId),
                    executionId < 0 ? List.of() : pg.steps(JOB_DB, executionId), Map.of(), List.of(),
                    slowStatements(serverLog, logFrom));
        }
        Map<String, Long> counts = BenchHarness.checkCompleted(app, "reimport " + what, expected,
                logs.resolve(name + ".log"));
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
        return new JobRun(app, BenchHarness.springStartedSeconds(logs.resolve(name + ".log")), executionId,
                pg.jobSeconds(JOB_DB, executionId), pg.steps(JOB_DB, executionId), counts, reports,
                slowStatements(serverLog, logFrom));
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

    private String section(Load load, Sheet sheet, List<BaselineRun> baselines, List<ReimportRun> jobs,
            String loadAtEnd) throws IOException {
        int n = jobs.size();
        List<ReimportRun> prepared = jobs.stream().filter(r -> r.prepare().finished()).toList();
        List<ReimportRun> finished = jobs.stream().filter(ReimportRun::finished).toList();
        double bestUpdate = best(baselines, BaselineRun::updateSeconds);
        double bestCopy = best(baselines, BaselineRun::copySeconds);
        double bestStart = best(finished, r -> r.start().app().seconds());
        double bestStartJob = best(finished, r -> r.start().jobSeconds());
        double bestPrepare = best(prepared, r -> r.prepare().app().seconds());
        double bestStartup = best(jobs, ReimportRun::startupSeconds);
        double ratio = bestStart / bestUpdate;
        long peakPrepare = most(jobs, r -> r.prepare().app().peakRssKiB());
        long peakStart = most(jobs.stream().filter(r -> r.start() != null).toList(), r -> r.start().app().peakRssKiB());
        boolean viaPsql = baselines.get(0).viaPsql();

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
        describeRun(md, loadAtEnd);
        md.append(String.format(Locale.ROOT, "| data | %,d contacts loaded by `contact-batch upload` of `%s` (%s, "
                + "ContactGenerator seed %d) in %s (peak RSS %s), then `vacuum (analyze)` of the whole database (%s) as "
                + "autovacuum leaves a settled one (the statistics of `staged_contact` then know only the upload's "
                + "import); %s. Each run works on its own `CREATE DATABASE … TEMPLATE %s STRATEGY FILE_COPY` copy of it "
                + "(not timed), the baseline on another |%n", rows, relative(csv), mb(Files.size(csv)), BenchHarness.SEED,
                secs(load.seconds()), mib(load.peakRssKiB()), secs(load.vacuumSeconds()), mb(load.databaseBytes()),
                LOADED_DB));
        md.append(String.format(Locale.ROOT, "| sheet | `%s`, %s, written by %s in %s (not timed): every contact's "
                + "`id,version,company,job_title,lifecycle_stage`, company and job title changed "
                + "(`coalesce(rtrim(left(x, 43)) \\|\\| ' ', '') \\|\\| '(2026)'`), lifecycle stage kept: %,d rows to "
                + "update, %,d changes |%n", relative(sheet.file()), mb(Files.size(sheet.file())),
                sheet.copy().viaPsql() ? "psql \\copy (select …) to" : "pgjdbc CopyManager COPY (select …) TO STDOUT",
                secs(sheet.copy().seconds()), rows, 2L * rows));
        md.append("| baseline | ").append(viaPsql ? "with " + psql.note() + ": " : "with pgjdbc (psql not installed): ")
                .append("`\\copy staging(id,version,company,job_title,lifecycle_stage) from SHEET` into a table "
                        + "without keys or indexes (timed), `analyze staging` (not timed), then `")
                .append(BASELINE_UPDATE).append("` (timed alone) |\n");
        md.append("| jobs | `").append(BenchHarness.LAUNCH).append(" reimport prepare SHEET --json --no-progress`"
                + ", then `reimport start ID --json --no-progress`; wall clock of each process; a job running over ")
                .append(String.format(Locale.ROOT, "%.4g", timeoutMinutes)).append(" min is stopped |\n\n");

        figureTable(md, n);
        row(md, "`UPDATE … FROM staging` (baseline)", cells(baselines, b -> secs(b.updateSeconds())),
                secs(bestUpdate) + " (best)");
        row(md, "`\\copy` of the sheet into `staging`", cells(baselines, b -> secs(b.copySeconds())),
                secs(bestCopy) + " (best; for information)");
        row(md, "`reimport start` (wall clock)", cells(jobs, r -> jobTime(r.start())),
                finished.isEmpty() ? "—" : secs(bestStart) + " (best)");
        row(md, "ratio start / `UPDATE`", cells(n, i -> jobs.get(i).finished()
                ? ratio(jobs.get(i).start().app().seconds() / baselines.get(i).updateSeconds()) : "—"),
                finished.isEmpty() ? "—" : String.format(Locale.ROOT, "**%.2f×** (best / best; target ≤ %.0f×)", ratio,
                        TARGET_RATIO));
        row(md, "ratio start's job alone / `UPDATE`", cells(n, i -> jobs.get(i).finished()
                ? ratio(jobs.get(i).start().jobSeconds() / baselines.get(i).updateSeconds()) : "—"),
                finished.isEmpty() ? "—" : ratio(bestStartJob / bestUpdate)
                        + " (best / best, without JVM start-up, result report and exit)");
        row(md, "`reimport prepare` (wall clock)", cells(jobs, r -> jobTime(r.prepare())),
                prepared.isEmpty() ? "—" : secs(bestPrepare) + " (best)");
        row(md, "ratio prepare / `UPDATE`", cells(n, i -> jobs.get(i).prepare().finished()
                ? ratio(jobs.get(i).prepare().app().seconds() / baselines.get(i).updateSeconds()) : "—"),
                prepared.isEmpty() ? "—" : String.format(Locale.ROOT, "**%.2f×** (best / best; target ≤ %.0f×)",
                        bestPrepare / bestUpdate, TARGET_RATIO));
        row(md, "ratio prepare / `\\copy` of the sheet", cells(n, i -> jobs.get(i).prepare().finished()
                ? ratio(jobs.get(i).prepare().app().seconds() / baselines.get(i).copySeconds()) : "—"),
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
                .append(relative(logs)).append("/reimport-*`, `").append(relative(args.benchDir().resolve("reports")))
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
        stepRows(md, what + ": step ", jobs, r -> job.apply(r) == null ? List.of() : job.apply(r).steps(), s -> String.format(Locale.ROOT, "read %,d, written %,d, commits %,d",
                        s.read(), s.written(), s.commits()));
    }
}
