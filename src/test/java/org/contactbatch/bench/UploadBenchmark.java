package org.contactbatch.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.contactbatch.sampledata.ContactGenerator;
import org.postgresql.PGConnection;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bulk upload against its baseline (design §6): {@code psql \copy} of the same CSV into a table with
 * the same indexes as {@code contact}, on the same PostgreSQL server, in the same run.
 *
 * <p>One run starts one embedded PostgreSQL (fresh data directory under {@code bench-data/pg}, the
 * same server settings as the app's embedded default), generates the CSV unless it is there, then
 * twice: times {@code \copy} into a fresh database, and times
 * {@code java -Xmx256m -jar contact-batch.jar upload FILE --json --no-progress} into another fresh
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

    static final String XMX = "-Xmx256m";
    static final double TARGET_RATIO = 2.0;
    static final long SEED = 42L;

    /** The baseline's columns: the CSV's 14 headers, snake-cased. */
    static final List<String> COLUMNS = List.of("email", "first_name", "last_name", "phone", "company", "job_title",
            "street", "city", "state", "postal_code", "country", "lifecycle_stage", "owner", "tags");

    /** The app's embedded server settings (EmbeddedPostgresEnvironmentPostProcessor). */
    static final Map<String, String> SERVER_CONFIG = serverConfig();

    private static Map<String, String> serverConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("synchronous_commit", "off");
        config.put("max_wal_size", "2GB");
        config.put("shared_buffers", "256MB");
        config.put("max_connections", "50");
        return config;
    }

    record CopyRun(double seconds, String method) {
    }

    record StepTime(String name, String status, double seconds, long read, long written) {
    }

    record UploadRun(double seconds, long peakRssKiB, double startupSeconds, long executionId, double jobSeconds,
            long flywayMillis, List<StepTime> steps, String json) {
    }

    private final int rows;
    private final Path jar;
    private final Path markdown;
    private final Path benchDir;
    private final int runs;
    private final Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    private EmbeddedPostgres pg;
    private String pgVersion;
    private Optional<Path> psql = Optional.empty();
    private String psqlNote = "";

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

    /** A run that did not do what it should: no figures are written. */
    static final class BenchmarkFailure extends RuntimeException {
        BenchmarkFailure(String message) {
            super(message);
        }
    }

    private void run() throws Exception {
        Files.createDirectories(benchDir.resolve("logs"));
        String loadAtStart = loadAverage();
        Path csv = csvFile();
        findPsql();
        startPostgres();
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
            stopPostgres();
        }
        String section = section(csv, copies, uploads, loadAtStart);
        System.out.println();
        System.out.println(section);
        writeMarkdown(section);
        say("wrote %s", markdown);
    }

    // ------------------------------------------------------------------ input

    private Path csvFile() throws IOException {
        Path csv = benchDir.resolve("contacts-" + rows + ".csv");
        if (Files.isRegularFile(csv) && Files.size(csv) > 0) {
            say("using %s (%s)", csv, mb(Files.size(csv)));
            return csv;
        }
        say("generating %,d contacts (seed %d) into %s", rows, SEED, csv);
        Path tmp = csv.resolveSibling(csv.getFileName() + ".tmp");
        long start = System.nanoTime();
        ContactGenerator.write(tmp, rows, SEED);
        Files.move(tmp, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        say("  %s in %s", mb(Files.size(csv)), secs(seconds(start)));
        return csv;
    }

    // ------------------------------------------------------------------ PostgreSQL

    private void startPostgres() throws IOException {
        Path dir = benchDir.resolve("pg");
        Path data = dir.resolve("data");
        deleteTree(data);
        Files.createDirectories(data);
        say("starting PostgreSQL in %s", data);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(dir.resolve("postgres.log").toFile()));
        SERVER_CONFIG.forEach(builder::setServerConfig);
        pg = builder.start();
        pgVersion = queryString("postgres", "show server_version");
        say("  PostgreSQL %s on port %d", pgVersion, pg.getPort());
    }

    private void stopPostgres() throws IOException {
        if (pg == null) {
            return;
        }
        pg.close();
        if (!Boolean.getBoolean("bench.keep-db")) {
            deleteTree(benchDir.resolve("pg").resolve("data"));
        }
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + pg.getPort() + "/" + database;
    }

    private Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), "postgres", "");
    }

    private void freshDatabase(String name) throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name + " with (force)");
            s.execute("create database " + name);
        }
    }

    /** Writes out what earlier work left in memory, so it is not charged to the next timing. */
    private void checkpoint() throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("checkpoint");
        }
    }

    private String queryString(String database, String sql) {
        try (Connection c = connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
        catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ baseline

    private void findPsql() {
        String configured = System.getenv("PSQL");
        if (configured != null && !configured.isBlank()) {
            psql = Optional.of(Path.of(configured));
        }
        else {
            psql = Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator))
                    .map(d -> Path.of(d, "psql")).filter(Files::isExecutable).findFirst();
        }
        if (psql.isPresent()) {
            String version = run(List.of(psql.get().toString(), "--version")).trim();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\d+(\\.\\d+)+").matcher(version);
            psqlNote = "psql " + (m.find() ? m.group() : version);
            say("baseline with %s (%s)", psql.get(), psqlNote);
        }
        else {
            psqlNote = "psql not found (apt-get install -y postgresql-client): baseline timed with pgjdbc's "
                    + "CopyManager COPY … FROM STDIN instead";
            say("%s", psqlNote);
        }
    }

    private CopyRun copyBaseline(Path csv, int run) throws Exception {
        String db = "copy_baseline";
        freshDatabase(db);
        try (Connection c = connect(db); Statement s = c.createStatement()) {
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
        checkpoint();
        String columns = String.join(",", COLUMNS);
        double seconds;
        String method;
        if (psql.isPresent()) {
            String command = "\\copy copy_baseline_table(" + columns + ") from '"
                    + csv.toString().replace("'", "''") + "' with (format csv, header true)";
            Path log = benchDir.resolve("logs").resolve("copy-run" + run + ".log");
            ProcessBuilder pb = new ProcessBuilder(psql.get().toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                    "-h", "localhost", "-p", String.valueOf(pg.getPort()), "-U", "postgres", "-d", db, "-c", command)
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().remove("PGPASSWORD");
            long start = System.nanoTime();
            Process p = pb.start();
            int exit = p.waitFor();
            seconds = seconds(start);
            if (exit != 0) {
                throw new BenchmarkFailure("psql \\copy exited with " + exit + ": " + tail(log, 20));
            }
            method = "psql \\copy";
        }
        else {
            long start = System.nanoTime();
            try (Connection c = connect(db); InputStream in = Files.newInputStream(csv)) {
                c.unwrap(PGConnection.class).getCopyAPI().copyIn("copy copy_baseline_table(" + columns
                        + ") from stdin with (format csv, header true)", in, 1 << 16);
            }
            seconds = seconds(start);
            method = "pgjdbc CopyManager";
        }
        long count = Long.parseLong(queryString(db, "select count(*) from copy_baseline_table"));
        if (count != rows) {
            throw new BenchmarkFailure("the baseline loaded " + count + " rows, expected " + rows);
        }
        return new CopyRun(seconds, method);
    }

    // ------------------------------------------------------------------ the job

    private UploadRun upload(Path csv, int run) throws Exception {
        String db = "upload_run";
        freshDatabase(db);
        checkpoint();
        Path logs = benchDir.resolve("logs");
        Path out = logs.resolve("upload-run" + run + ".json");
        Path err = logs.resolve("upload-run" + run + ".stderr");
        ProcessBuilder pb = app(run, List.of("upload", csv.toString(), "--json", "--no-progress"))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        long start = System.nanoTime();
        Process p = pb.start();
        long peakKiB = 0;
        Path status = Path.of("/proc", String.valueOf(p.pid()), "status");
        while (true) {
            peakKiB = Math.max(peakKiB, vmHwmKiB(status));
            if (p.waitFor(50, TimeUnit.MILLISECONDS)) {
                break;
            }
        }
        double seconds = seconds(start);
        int exit = p.exitValue();
        String json = Files.readAllLines(out).stream().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
        JsonNode summary = json == null ? null : JsonMapper.builder().build().readTree(json);
        String problem = null;
        if (exit != 0) {
            problem = "the upload exited with " + exit;
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
            throw new BenchmarkFailure(problem + "\n  stdout: " + (json == null ? tail(out, 5) : json)
                    + "\n  stderr (" + err + "):\n" + tail(err, 30)
                    + "\n  log: " + logs.resolve("upload-run" + run + ".log"));
        }
        long executionId = summary.path("executionId").asLong();
        long contacts = Long.parseLong(queryString(db, "select count(*) from contact"));
        if (contacts != rows) {
            throw new BenchmarkFailure("the upload reported " + rows + " inserted but the contact table holds " + contacts);
        }

        // JVM and Spring start-up, against the same (now migrated) database
        Path listOut = logs.resolve("jobs-list-run" + run + ".out");
        ProcessBuilder list = app(run, List.of("jobs", "list")).redirectErrorStream(true).redirectOutput(listOut.toFile());
        long listStart = System.nanoTime();
        int listExit = list.start().waitFor();
        double startup = seconds(listStart);
        if (listExit != 0) {
            throw new BenchmarkFailure("'jobs list' exited with " + listExit + ": " + tail(listOut, 20));
        }

        List<StepTime> steps = new ArrayList<>();
        double jobSeconds;
        long flywayMillis = -1;
        try (Connection c = connect(db)) {
            try (PreparedStatement s = c.prepareStatement("""
                    select step_name, status, extract(epoch from (end_time - start_time)), read_count, write_count
                    from batch_step_execution where job_execution_id = ? order by step_execution_id""")) {
                s.setLong(1, executionId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        steps.add(new StepTime(rs.getString(1), rs.getString(2), rs.getDouble(3), rs.getLong(4),
                                rs.getLong(5)));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("""
                    select extract(epoch from (end_time - start_time)) from batch_job_execution
                    where job_execution_id = ?""")) {
                s.setLong(1, executionId);
                try (ResultSet rs = s.executeQuery()) {
                    jobSeconds = rs.next() ? rs.getDouble(1) : Double.NaN;
                }
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select coalesce(sum(execution_time), 0) from flyway_schema_history")) {
                flywayMillis = rs.next() ? rs.getLong(1) : -1;
            }
            catch (SQLException noFlywayTable) {
                // the figure is for information only
            }
        }
        return new UploadRun(seconds, peakKiB, startup, executionId, jobSeconds, flywayMillis, steps, json);
    }

    /** {@code java -Xmx256m -jar APP ARGS} against the upload database, its log and reports in bench-data. */
    private ProcessBuilder app(int run, List<String> appArgs) {
        List<String> command = new ArrayList<>(List.of(javaBin.toString(), XMX,
                "-Dcontact-batch.log-file=" + benchDir.resolve("logs").resolve("upload-run" + run + ".log"),
                "-Dcontact-batch.reports-dir=" + benchDir.resolve("reports").resolve("run" + run),
                "-jar", jar.toString()));
        command.addAll(appArgs);
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        // nothing from the caller's environment may change the heap or the database
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("JDK_JAVA_OPTIONS");
        env.remove("_JAVA_OPTIONS");
        env.keySet().removeIf(k -> k.startsWith("SPRING_"));
        env.put("SPRING_DATASOURCE_URL", jdbcUrl("upload_run"));
        env.put("SPRING_DATASOURCE_USERNAME", "postgres");
        env.put("SPRING_DATASOURCE_PASSWORD", "");
        return pb;
    }

    private static long vmHwmKiB(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").trim());
                }
            }
        }
        catch (IOException | RuntimeException gone) {
            // the process has just exited
        }
        return 0;
    }

    // ------------------------------------------------------------------ report

    private String section(Path csv, List<CopyRun> copies, List<UploadRun> uploads, String loadAtStart)
            throws IOException {
        double bestCopy = copies.stream().mapToDouble(CopyRun::seconds).min().orElseThrow();
        double bestUpload = uploads.stream().mapToDouble(UploadRun::seconds).min().orElseThrow();
        double ratio = bestUpload / bestCopy;
        long peak = uploads.stream().mapToLong(UploadRun::peakRssKiB).max().orElseThrow();
        double bestStartup = uploads.stream().mapToDouble(UploadRun::startupSeconds).min().orElseThrow();
        boolean met = ratio <= TARGET_RATIO;
        boolean viaPsql = copies.get(0).method().equals("psql \\copy");
        String baseline = viaPsql ? "`\\copy` with " + psqlNote
                : "`COPY … FROM STDIN` with pgjdbc's `CopyManager` (psql not installed: `apt-get install -y postgresql-client`)";

        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "## Bulk upload (%,d rows)%n%n", rows));
        md.append(String.format(Locale.ROOT,
                "**Target (≤ %.0f× `\\copy`, in `%s`): %s** — ratio **%.2f×** (upload %s / `\\copy` %s, best of %d "
                        + "runs each); every run completed in `%s` (peak RSS of the JVM %s).%n%n",
                TARGET_RATIO, XMX, met ? "met" : "not met", ratio, secs(bestUpload), secs(bestCopy), uploads.size(),
                XMX, mib(peak)));
        md.append("| | value |\n|---|---|\n");
        md.append("| date | ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern(
                "yyyy-MM-dd HH:mm 'UTC'"))).append(" |\n");
        md.append("| machine | `nproc` ").append(nproc()).append(", ").append(totalMemory()).append(" memory, ")
                .append(cpuModel()).append("; load average at start ").append(loadAtStart).append(" |\n");
        md.append("| Java | ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" |\n");
        md.append("| PostgreSQL | ").append(pgVersionShort()).append(" (embedded, fresh data directory; ")
                .append(SERVER_CONFIG.entrySet().stream().map(e -> "`" + e.getKey() + "=" + e.getValue() + "`")
                        .reduce((a, b) -> a + ", " + b).orElse(""))
                .append(", as the app's own embedded server) |\n");
        md.append("| baseline | ").append(baseline)
                .append(" into a fresh database, table of the 14 columns as text + `id` identity primary key + "
                        + "`updated_at`, unique index on `lower(email)`, index on `updated_at` |\n");
        md.append(String.format(Locale.ROOT, "| input | %,d rows, %s (`%s`, ContactGenerator seed %d) |%n", rows,
                mb(Files.size(csv)), relative(csv), SEED));
        md.append("| job | `java ").append(XMX).append(" -jar contact-batch.jar upload FILE --json --no-progress` "
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

    private static void row(StringBuilder md, String label, List<String> cells, String used) {
        md.append("| ").append(label).append(" |");
        cells.forEach(c -> md.append(' ').append(c).append(" |"));
        md.append(' ').append(used).append(" |\n");
    }

    private void writeMarkdown(String section) throws IOException {
        String heading = section.lines().findFirst().orElseThrow();
        String text = Files.exists(markdown) ? Files.readString(markdown) : intro();
        List<String> lines = new ArrayList<>(text.lines().toList());
        int at = lines.indexOf(heading);
        List<String> replacement = section.stripTrailing().lines().toList();
        if (at < 0) {
            while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
                lines.remove(lines.size() - 1);
            }
            lines.add("");
            lines.addAll(replacement);
        }
        else {
            int end = at + 1;
            while (end < lines.size() && !lines.get(end).startsWith("## ")) {
                end++;
            }
            List<String> rest = new ArrayList<>(lines.subList(end, lines.size()));
            lines = new ArrayList<>(lines.subList(0, at));
            lines.addAll(replacement);
            if (!rest.isEmpty()) {
                lines.add("");
                lines.addAll(rest);
            }
        }
        Files.writeString(markdown, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private static String intro() {
        return """
                # Benchmarks

                Performance figures of contact-batch's jobs against the targets of design §6. Each section is
                written by a benchmark program, and running it again replaces that section.

                - **What is measured:** a job run the way a user runs it (`java -Xmx256m -jar contact-batch.jar …`,
                  wall clock of the whole process, JVM start-up included) against PostgreSQL's own bulk path for the
                  same work (`psql \\copy` of the same file into a table with the same indexes), on the same
                  PostgreSQL server in the same run. Targets are ratios, because absolute times drift between
                  machines and runs. Peak RSS of the job's JVM is read from `/proc/<pid>/status` (VmHWM).
                - **Where:** the figures come from this project's 2-core machines, on an embedded PostgreSQL that the
                  benchmark starts itself with the app's embedded settings. Other work on the machine makes them
                  noisy: each measurement runs twice and the better one is used.
                - **How to run:** `bench/upload.sh [ROWS]` (default 1,000,000 rows) builds the app and the benchmark,
                  generates the input under `bench-data/` (git-ignored) and rewrites its section here. It needs
                  Java 17 and, for the baseline, `psql` (`apt-get install -y postgresql-client`; without it the
                  baseline falls back to pgjdbc's `CopyManager` and says so).
                """;
    }

    // ------------------------------------------------------------------ helpers

    private String pgVersionShort() {
        return "PostgreSQL " + (pgVersion == null ? "?" : pgVersion);
    }

    private static String nproc() {
        try {
            String out = run(List.of("nproc")).trim();
            if (!out.isEmpty()) {
                return out;
            }
        }
        catch (RuntimeException noNproc) {
            // fall through
        }
        return String.valueOf(Runtime.getRuntime().availableProcessors());
    }

    private static String totalMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.substring(9).replace("kB", "").trim());
                    return String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
                }
            }
        }
        catch (IOException | RuntimeException e) {
            // fall through
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return String.format(Locale.ROOT, "%.1f GiB", os.getTotalMemorySize() / 1024.0 / 1024.0 / 1024.0);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("CPU model unknown");
        }
        catch (IOException e) {
            return "CPU model unknown";
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        }
        catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
        catch (IOException | RuntimeException e) {
            return "(cannot read " + file + ")";
        }
    }

    private String relative(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String secs(double s) {
        return Double.isNaN(s) ? "?" : String.format(Locale.ROOT, "%.2f s", s);
    }

    private static String mib(long kib) {
        return String.format(Locale.ROOT, "%,d MiB", Math.round(kib / 1024.0));
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static void say(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[bench %s] %s%n",
                ZonedDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")), String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
