package org.contactbatch.bench;

import static org.contactbatch.bench.BenchHarness.XMX;
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
import static org.contactbatch.bench.BenchHarness.secs;
import static org.contactbatch.bench.BenchHarness.stepRows;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.contactbatch.bench.BenchHarness.AppBenchmark;
import org.contactbatch.bench.BenchHarness.AppRun;
import org.contactbatch.bench.BenchHarness.Args;
import org.contactbatch.bench.BenchHarness.BenchmarkFailure;
import org.contactbatch.bench.BenchHarness.Copy;
import org.contactbatch.bench.BenchHarness.StepTime;

/**
 * Bulk upload against its baseline, PostgreSQL's own bulk path: {@code psql \copy} of the same CSV into a table with
 * the same indexes as {@code contact}, on the same PostgreSQL server, in the same run.
 *
 * <p>One run starts one embedded PostgreSQL (fresh data directory under {@code bench-data/pg}, the
 * same server settings as the app's embedded default), generates the CSV unless it is there, then
 * twice: times {@code \copy} into a fresh database, and times
 * {@code JAVA_OPTS=-Xmx256m bin/contact-batch upload FILE --json --no-progress} into another fresh
 * database whose tables a {@code jobs list} created first, as the baseline's table is created before its
 * {@code \copy} (wall clock and peak RSS), with the JVM-and-Spring start-up measured by {@code jobs list}
 * and the step durations read from Spring Batch's tables. The better run of each is used for the
 * ratio. The figures are printed and written to a section {@code ## Bulk upload (N rows)} of the
 * markdown file.
 *
 * <pre>
 * java -cp bench-classes:test-classes:classes:… org.contactbatch.bench.UploadBenchmark [ROWS] [APP_JAR] [MARKDOWN]
 * </pre>
 * defaults: 1000000, target/contact-batch.jar, BENCHMARKS.md. System properties: {@code bench.dir}
 * (default {@code bench-data}), {@code bench.runs} (default 2), {@code bench.keep-db} (keep the
 * PostgreSQL data directory afterwards). Environment: {@code PSQL} (the psql to use).
 */
public final class UploadBenchmark extends AppBenchmark {

    static final double TARGET_RATIO = 2.0;

    /** The baseline's columns: the CSV's 14 headers, snake-cased. */
    static final List<String> COLUMNS = List.of("email", "first_name", "last_name", "phone", "company", "job_title",
            "street", "city", "state", "postal_code", "country", "lifecycle_stage", "owner", "tags");

    record UploadRun(double seconds, long peakRssKiB, double startupSeconds, double migrateSeconds, long executionId,
            double jobSeconds, long flywayMillis, List<StepTime> steps, String json) {
    }

    private UploadBenchmark(Args args) {
        super(args);
    }

    public static void main(String[] argv) throws Exception {
        BenchHarness.main("UploadBenchmark", argv, 1_000_000, true, args -> new UploadBenchmark(args).run("pg"));
    }

    @Override
    protected String measure() throws Exception {
        List<Copy> copies = new ArrayList<>();
        List<UploadRun> uploads = new ArrayList<>();
        for (int run = 1; run <= args.runs(); run++) {
            say("run %d of %d", run, args.runs());
            Copy copy = copyBaseline(run);
            copies.add(copy);
            say("  \\copy: %s%s", secs(copy.seconds()), copy.viaPsql() ? "" : " (pgjdbc)");
            UploadRun u = upload(run);
            uploads.add(u);
            say("  upload: %s, peak RSS %s, start-up %s", secs(u.seconds()), mib(u.peakRssKiB()),
                    secs(u.startupSeconds()));
        }
        return section(copies, uploads, BenchHarness.loadAverage());
    }

    // ------------------------------------------------------------------ baseline

    private Copy copyBaseline(int run) throws Exception {
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
        Copy copy = psql.copyIn(pg, db, "copy_baseline_table(" + String.join(",", COLUMNS) + ")", csv,
                logs.resolve("copy-run" + run + ".log"));
        long count = pg.queryLong(db, "select count(*) from copy_baseline_table");
        if (count != rows) {
            throw new BenchmarkFailure("the baseline loaded " + count + " rows, expected " + rows);
        }
        return copy;
    }

    // ------------------------------------------------------------------ the job

    private UploadRun upload(int run) throws Exception {
        String db = "upload_run";
        pg.freshDatabase(db);
        // the first command on a database creates its tables (Flyway), as the baseline's table is created before
        // its timed \copy: that is not the upload's work, so it is done, and timed, before the upload
        double migrate = BenchHarness.timeAppPlain(app("migrate-run" + run, "run" + run, db, List.of("jobs", "list")),
                logs.resolve("migrate-run" + run + ".out"));
        pg.checkpoint();
        String name = "upload-run" + run;
        AppRun app = BenchHarness.timeApp(app(name, "run" + run, db, List.of("upload", csv.toString(), "--json",
                "--no-progress")),
                logs.resolve(name + ".json"), logs.resolve(name + ".stderr"));
        BenchHarness.checkCompleted(app, "the upload", Map.of("read", (long) rows, "inserted", (long) rows),
                logs.resolve(name + ".log"));
        long executionId = app.summary().path("executionId").asLong();
        long contacts = pg.queryLong(db, "select count(*) from contact");
        if (contacts != rows) {
            throw new BenchmarkFailure("the upload reported " + rows + " inserted but the contact table holds " + contacts);
        }

        // JVM and Spring start-up, against the same (now migrated) database
        double startup = BenchHarness.timeAppPlain(app("jobs-list-run" + run, "run" + run, db, List.of("jobs", "list")),
                logs.resolve("jobs-list-run" + run + ".out"));
        return new UploadRun(app.seconds(), app.peakRssKiB(), startup, migrate, executionId, pg.jobSeconds(db, executionId),
                pg.flywayMillis(db), pg.steps(db, executionId), app.json());
    }

    // ------------------------------------------------------------------ report

    private String section(List<Copy> copies, List<UploadRun> uploads, String loadAtEnd)
            throws IOException {
        double bestCopy = best(copies, Copy::seconds);
        double bestUpload = best(uploads, UploadRun::seconds);
        double ratio = bestUpload / bestCopy;
        long peak = most(uploads, UploadRun::peakRssKiB);
        double bestStartup = best(uploads, UploadRun::startupSeconds);
        boolean met = ratio <= TARGET_RATIO;
        boolean viaPsql = copies.get(0).viaPsql();
        String baseline = viaPsql ? "`\\copy` with " + psql.note()
                : "`COPY … FROM STDIN` with pgjdbc's `CopyManager` (psql not installed: `apt-get install -y postgresql-client`)";

        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "## Bulk upload (%,d rows%s)%n%n", rows, pg.headingNote()));
        md.append(String.format(Locale.ROOT,
                "**Target (≤ %.0f× `\\copy`, in `%s`): %s** — ratio **%.2f×** (upload %s / `\\copy` %s, best of %d "
                        + "runs each); every run completed in `%s` (peak RSS of the JVM %s).%n%n",
                TARGET_RATIO, XMX, met ? "met" : "not met", ratio, secs(bestUpload), secs(bestCopy), uploads.size(),
                XMX, mib(peak)));
        describeRun(md, loadAtEnd);
        md.append("| baseline | ").append(baseline)
                .append(" into a fresh database, table of the 14 columns as text + `id` identity primary key + "
                        + "`updated_at`, unique index on `lower(email)`, index on `updated_at` |\n");
        md.append(String.format(Locale.ROOT, "| input | %,d rows, %s (`%s`, ContactGenerator seed %d) |%n", rows,
                mb(Files.size(csv)), relative(csv), BenchHarness.SEED));
        md.append("| job | `").append(BenchHarness.LAUNCH).append(" upload FILE --json --no-progress` "
                + "into a fresh database whose tables a `jobs list` created first (untimed, as the baseline's table), "
                + "wall clock of the process |\n\n");

        figureTable(md, uploads.size());
        row(md, viaPsql ? "`\\copy` (psql)" : "`COPY … FROM STDIN` (CopyManager)",
                copies.stream().map(c -> secs(c.seconds())).toList(), secs(bestCopy) + " (best)");
        row(md, "upload (wall clock)", uploads.stream().map(u -> secs(u.seconds())).toList(), secs(bestUpload) + " (best)");
        row(md, "ratio upload / `\\copy`",
                cells(uploads.size(), i -> ratio(uploads.get(i).seconds() / copies.get(i).seconds())),
                String.format(Locale.ROOT, "**%.2f×** (best / best; target ≤ %.0f×)", ratio, TARGET_RATIO));
        row(md, "peak RSS of the upload JVM (`" + XMX + "`)", uploads.stream().map(u -> mib(u.peakRssKiB())).toList(),
                mib(peak) + " (max)");
        row(md, "JVM + Spring start-up (`jobs list`)", uploads.stream().map(u -> secs(u.startupSeconds())).toList(),
                secs(bestStartup) + " (best)");
        row(md, "`jobs list` on the fresh database, which creates its tables (not in the upload's time)",
                uploads.stream().map(u -> secs(u.migrateSeconds())).toList(), "");
        row(md, "of it, Flyway's migrations (flyway_schema_history)", uploads.stream()
                .map(u -> u.flywayMillis() < 0 ? "?" : secs(u.flywayMillis() / 1000.0)).toList(), "");
        row(md, "job start → end (batch_job_execution)", uploads.stream().map(u -> secs(u.jobSeconds())).toList(), "");

        stepRows(md, "step ", uploads, UploadRun::steps,
                s -> String.format(Locale.ROOT, "read %,d, written %,d", s.read(), s.written()));
        md.append('\n');
        md.append("Upload wall clock = JVM + Spring start-up + the job; the per-step times come from "
                + "`batch_step_execution` (end_time − start_time). The better of the runs of each is used for the ratio. "
                + "Run it with `bench/upload.sh [ROWS]`. Logs, JSON summaries and reports of the runs: `")
                .append(relative(logs)).append("/`, `")
                .append(relative(args.benchDir().resolve("reports"))).append("/`.\n");
        return md.toString();
    }
}
