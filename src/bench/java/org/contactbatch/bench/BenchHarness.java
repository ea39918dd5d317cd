package org.contactbatch.bench;

import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.IOException;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.contactbatch.sampledata.ContactGenerator;
import org.postgresql.PGConnection;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one harness of the benchmarks in this package, so that each benchmark holds only what it measures: its
 * command line ({@link Args}), the generated contacts CSV and loading it with the app's own upload
 * ({@link #loadContacts}), the embedded PostgreSQL or the server of its own ({@link Postgres}), psql and its
 * {@code \copy} baselines ({@link Psql}), running the app the way a user does with its wall clock and peak RSS
 * ({@link #timeApp}), checking its JSON summary ({@link #checkCompleted}), Spring Batch's step times, the best of
 * the runs ({@link #best}), the machine's description, and rewriting a section of BENCHMARKS.md
 * ({@link #report}).
 */
final class BenchHarness {

    static final String XMX = "-Xmx256m";
    static final long SEED = 42L;

    /** The app's embedded server settings (EmbeddedPostgresEnvironmentPostProcessor). */
    static final Map<String, String> SERVER_CONFIG = serverConfig();

    private BenchHarness() {
    }

    private static Map<String, String> serverConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("synchronous_commit", "off");
        config.put("max_wal_size", "2GB");
        config.put("shared_buffers", "256MB");
        config.put("max_connections", "50");
        return config;
    }

    /** A run that did not do what it should: no figures are written. */
    static final class BenchmarkFailure extends RuntimeException {
        BenchmarkFailure(String message) {
            super(message);
        }
    }

    record StepTime(String name, String status, double seconds, long read, long written, long commits) {
    }

    /**
     * One run of the app: wall clock of the process, its peak RSS, exit code, the last JSON line it
     * printed ({@code null} when none), and when its stdout first had something in it (to 50 ms; NaN
     * when never): with {@code --json} that is the summary, printed once the job and its reports are done.
     * {@code timedOut} says what it was doing when it was stopped for running too long, null when it was not.
     */
    record AppRun(double seconds, long peakRssKiB, int exit, String json, JsonNode summary, Path out, Path err,
            double firstOutputSeconds, String timedOut, Instant startedAt) {

        /** Seconds from the process's start to an instant (one of its job's times), NaN when that is unknown. */
        double secondsTo(Instant instant) {
            return instant == null ? Double.NaN : Duration.between(startedAt, instant).toNanos() / 1e9;
        }
    }

    // ------------------------------------------------------------------ the command line

    /**
     * What every benchmark is given: how many rows (or contacts) to work on, the app jar it runs (null for one that
     * runs the application in its own JVM), the markdown file whose section it rewrites; and from system properties,
     * where its data, logs and reports go ({@code bench.dir}, default {@code bench-data}) and how many times each
     * measurement runs ({@code bench.runs}, default 2: the machines are shared, the better run is used).
     */
    record Args(int rows, Path jar, Path markdown, Path benchDir, int runs) {

        Path logs() {
            return benchDir.resolve("logs");
        }

        Path reports(String name) {
            return benchDir.resolve("reports").resolve(name);
        }
    }

    /** What a benchmark measures, given its arguments; it ends by {@link #report reporting} its section. */
    interface Benchmark {
        void run(Args args) throws Exception;
    }

    /**
     * A benchmark's {@code main}: parses {@code [ROWS] [APP_JAR] [MARKDOWN]} (without {@code APP_JAR} when
     * {@code appJar} is false), runs it, and exits 2 on bad usage, 1 when a run did not do what it should (its
     * section is then not written), else 0 — also when a library left a thread running (the Constant Contact
     * benchmarks' application context).
     */
    static void main(String name, String[] argv, int defaultRows, boolean appJar, Benchmark benchmark) throws Exception {
        String usage = "usage: " + name + String.format(Locale.ROOT, " [ROWS (default %d)]", defaultRows)
                + (appJar ? " [APP_JAR (default target/contact-batch.jar)]" : "") + " [MARKDOWN (default BENCHMARKS.md)]";
        Args args;
        try {
            args = parse(argv, defaultRows, appJar);
        }
        catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            System.err.println(usage);
            System.exit(2);
            return;
        }
        if (args == null) {
            System.err.println(usage);
            System.exit(2);
            return;
        }
        try {
            benchmark.run(args);
        }
        catch (BenchmarkFailure e) {
            System.err.println();
            System.err.println("BENCHMARK FAILED: " + e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }

    /** The arguments, or null when help was asked for. */
    private static Args parse(String[] argv, int defaultRows, boolean appJar) {
        int max = appJar ? 3 : 2;
        if (argv.length > max) {
            throw new IllegalArgumentException("at most " + max + " arguments, got " + argv.length);
        }
        if (argv.length > 0 && (argv[0].equals("-h") || argv[0].equals("--help"))) {
            return null;
        }
        int rows;
        try {
            rows = argv.length > 0 ? Integer.parseInt(argv[0].replace("_", "").replace(",", "")) : defaultRows;
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException("ROWS must be a whole number, got '" + argv[0] + "'");
        }
        int runs = Integer.getInteger("bench.runs", 2);
        if (rows < 1 || runs < 1) {
            throw new IllegalArgumentException("ROWS and bench.runs must be at least 1");
        }
        Path jar = null;
        int next = 1;
        if (appJar) {
            jar = Path.of(argv.length > next ? argv[next] : "target/contact-batch.jar").toAbsolutePath().normalize();
            next++;
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("no app jar at " + jar + ": build it first (bench/*.sh do)");
            }
        }
        Path markdown = Path.of(argv.length > next ? argv[next] : "BENCHMARKS.md").toAbsolutePath().normalize();
        Path benchDir = Path.of(System.getProperty("bench.dir", "bench-data")).toAbsolutePath().normalize();
        return new Args(rows, jar, markdown, benchDir, runs);
    }

    /**
     * A benchmark of the app as a user runs it, against a PostgreSQL server: it says what it measures in
     * {@link #measure}; the harness gives it its arguments, the generated contacts CSV, psql for the baselines and the
     * server (a fresh embedded one under the bench directory, or the one {@code BENCH_SERVER} names), stops the server
     * afterwards, and reports the section {@code measure} returns.
     */
    abstract static class AppBenchmark {

        protected final Args args;
        protected final int rows;
        protected final Path logs;
        /** Set by {@link #run} before {@link #measure}. */
        protected Path csv;
        protected Psql psql;
        protected Postgres pg;
        protected String loadAtStart;

        protected AppBenchmark(Args args) {
            this.args = args;
            this.rows = args.rows();
            this.logs = args.logs();
        }

        /** What the benchmark measures, with the server running; gives its section of the markdown file. */
        protected abstract String measure() throws Exception;

        /** After the server has stopped, whether the measurement ended or failed: what the runs leave is removed. */
        protected void cleanUp() throws IOException {
        }

        /** Runs the benchmark on a server whose embedded data directory (when it is embedded) is {@code serverDir}. */
        final void run(String serverDir) throws Exception {
            Files.createDirectories(logs);
            loadAtStart = loadAverage();
            csv = contactsCsv(args.benchDir(), rows);
            psql = Psql.find();
            pg = Postgres.start(args.benchDir().resolve(serverDir));
            String section;
            try {
                section = measure();
            }
            finally {
                pg.close();
                cleanUp();
            }
            report(args.markdown(), section);
        }

        /** The head of a section's table of what was run where: date, machine (with its load), Java, PostgreSQL. */
        protected void describeRun(StringBuilder md, String loadAtEnd) {
            md.append("| | value |\n|---|---|\n");
            md.append("| date | ").append(date()).append(" |\n");
            md.append("| machine | ").append(machine(loadAtStart)).append(", at the end ").append(loadAtEnd).append(" |\n");
            md.append("| Java | ").append(javaVersion()).append(" |\n");
            md.append("| PostgreSQL | ").append(pg.description()).append(" |\n");
        }

        /**
         * {@code JAVA_OPTS=-Xmx256m bin/contact-batch ARGS} against a database of the server, its log in
         * {@code logs/LOGNAME.log} (a fresh one: start-up times are read from it) and its reports in
         * {@code reports/REPORTS/}.
         */
        protected ProcessBuilder app(String logName, String reports, String database, List<String> appArgs)
                throws IOException {
            Files.deleteIfExists(logs.resolve(logName + ".log"));
            return BenchHarness.app(args.jar(), logs.resolve(logName + ".log"), args.reports(reports),
                    pg.jdbcUrl(database), appArgs);
        }
    }

    /** Prints a benchmark's section and puts it in the markdown file in place of the last run's. */
    static void report(Path markdown, String section) throws IOException {
        System.out.println();
        System.out.println(section);
        writeMarkdown(markdown, section);
        say("wrote %s", markdown);
    }

    // ------------------------------------------------------------------ input

    /** The generated contacts CSV of {@code rows} rows under benchDir, generated (seed 42) unless it is there. */
    static Path contactsCsv(Path benchDir, int rows) throws IOException {
        Path csv = benchDir.resolve("contacts-" + rows + ".csv");
        if (Files.isRegularFile(csv) && Files.size(csv) > 0) {
            say("using %s (%s)", csv, mb(Files.size(csv)));
            return csv;
        }
        say("generating %,d contacts (seed %d) into %s", rows, SEED, csv);
        Files.createDirectories(benchDir);
        Path tmp = csv.resolveSibling(csv.getFileName() + ".tmp");
        long start = System.nanoTime();
        ContactGenerator.write(tmp, rows, SEED);
        Files.move(tmp, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        say("  %s in %s", mb(Files.size(csv)), secs(seconds(start)));
        return csv;
    }

    /** The contacts as the app's own upload loaded them: its wall clock and peak RSS, the vacuum after, the database's size. */
    record Load(double seconds, long peakRssKiB, double vacuumSeconds, long databaseBytes) {
    }

    /**
     * Loads the contacts CSV into a fresh database with the app's own upload ({@code upload}, a process from
     * {@link #app} whose arguments name the file), checks that every row was read and inserted, then
     * {@code vacuum (analyze)}s {@code vacuumTarget} (empty: the whole database) as autovacuum leaves a settled
     * database, and checkpoints, so that none of it is charged to what is timed next. For information, not a target.
     */
    static Load loadContacts(Postgres pg, String database, ProcessBuilder upload, Path logs, String name, int rows,
            String vacuumTarget) throws Exception {
        say("loading %,d contacts with the app's upload into %s", rows, database);
        pg.freshDatabase(database);
        pg.checkpoint();
        AppRun app = timeApp(upload, logs.resolve(name + ".json"), logs.resolve(name + ".stderr"));
        checkCompleted(app, "the upload", Map.of("read", (long) rows, "inserted", (long) rows), logs.resolve(name + ".log"));
        long contacts = pg.queryLong(database, "select count(*) from contact");
        if (contacts != rows) {
            throw new BenchmarkFailure("the upload reported " + rows + " inserted but the contact table holds " + contacts);
        }
        say("  upload: %s, peak RSS %s", secs(app.seconds()), mib(app.peakRssKiB()));
        long start = System.nanoTime();
        pg.execute(database, ("vacuum (analyze) " + vacuumTarget).trim());
        double vacuum = seconds(start);
        long bytes = pg.queryLong(database, "select pg_database_size(current_database())");
        say("  vacuum (analyze) %s: %s; database %s", vacuumTarget.isEmpty() ? "of the database" : vacuumTarget,
                secs(vacuum), mb(bytes));
        pg.checkpoint();
        return new Load(app.seconds(), app.peakRssKiB(), vacuum, bytes);
    }

    // ------------------------------------------------------------------ PostgreSQL

    /**
     * The server of a benchmark: an embedded PostgreSQL with a fresh data directory under {@code dir}/data,
     * or, when {@code BENCH_SERVER} names one as {@code host:port}, a PostgreSQL server of its own (15 or
     * newer; user {@code postgres} without a password, allowed to create databases; its log, for the
     * statements it logs as slow, in the file {@code BENCH_SERVER_LOG} if given).
     */
    static final class Postgres implements AutoCloseable {

        private final Path dir;
        private final EmbeddedPostgres pg;
        private final String host;
        private final int port;
        private final Path log;
        private final String version;

        private Postgres(Path dir, EmbeddedPostgres pg, String host, int port, Path log) {
            this.dir = dir;
            this.pg = pg;
            this.host = host;
            this.port = port;
            this.log = log;
            this.version = queryString("postgres", "show server_version");
        }

        static Postgres start(Path dir) throws IOException {
            String server = System.getenv("BENCH_SERVER");
            if (server != null && !server.isBlank()) {
                int colon = server.lastIndexOf(':');
                String serverLog = System.getenv("BENCH_SERVER_LOG");
                Postgres postgres = new Postgres(dir, null, colon < 0 ? server : server.substring(0, colon),
                        colon < 0 ? 5432 : Integer.parseInt(server.substring(colon + 1)),
                        serverLog == null || serverLog.isBlank() ? dir.resolve("no-server-log") : Path.of(serverLog));
                say("  PostgreSQL %s at %s (BENCH_SERVER)", postgres.version, server);
                return postgres;
            }
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
            EmbeddedPostgres embedded = builder.start();
            Postgres postgres = new Postgres(dir, embedded, "localhost", embedded.getPort(), dir.resolve("postgres.log"));
            say("  PostgreSQL %s on port %d", postgres.version, postgres.port());
            return postgres;
        }

        /** Stops an embedded server and, unless {@code bench.keep-db} is set, deletes its data directory. */
        @Override
        public void close() throws IOException {
            if (pg == null) {
                return;
            }
            pg.close();
            if (!Boolean.getBoolean("bench.keep-db")) {
                deleteTree(dir.resolve("data"));
            }
        }

        String host() {
            return host;
        }

        int port() {
            return port;
        }

        /** The server's log file (it may not exist: a server of its own without BENCH_SERVER_LOG). */
        Path log() {
            return log;
        }

        String version() {
            return version;
        }

        /** What a section's heading adds for a server of its own, so its figures sit beside the embedded server's. */
        String headingNote() {
            return pg == null ? ", PostgreSQL " + (version == null ? "?" : version.split("[ .]")[0]) + " server of its own" : "";
        }

        /**
         * "PostgreSQL 18.6 (embedded, fresh data directory; `synchronous_commit=off`, …, as the app's own embedded
         * server)", or for a server of its own the same settings as it has them.
         */
        String description() {
            if (pg == null) {
                return "PostgreSQL " + (version == null ? "?" : version) + " (a server of its own at " + host + ":" + port
                        + ", given by `BENCH_SERVER`; "
                        + SERVER_CONFIG.keySet().stream().map(k -> "`" + k + "=" + queryString("postgres", "show " + k) + "`")
                                .reduce((a, b) -> a + ", " + b).orElse("")
                        + ")";
            }
            return "PostgreSQL " + (version == null ? "?" : version) + " (embedded, fresh data directory; "
                    + SERVER_CONFIG.entrySet().stream().map(e -> "`" + e.getKey() + "=" + e.getValue() + "`")
                            .reduce((a, b) -> a + ", " + b).orElse("")
                    + ", as the app's own embedded server)";
        }

        String jdbcUrl(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        Connection connect(String database) throws SQLException {
            return DriverManager.getConnection(jdbcUrl(database), "postgres", "");
        }

        void freshDatabase(String name) throws SQLException {
            execute("postgres", "drop database if exists " + name + " with (force)", "create database " + name);
        }

        void dropDatabase(String name) throws SQLException {
            execute("postgres", "drop database if exists " + name + " with (force)");
        }

        /** Writes out what earlier work left in memory, so it is not charged to the next timing. */
        void checkpoint() throws SQLException {
            execute("postgres", "checkpoint");
        }

        void execute(String database, String... sql) throws SQLException {
            try (Connection c = connect(database); Statement s = c.createStatement()) {
                for (String statement : sql) {
                    s.execute(statement);
                }
            }
        }

        String queryString(String database, String sql) {
            try (Connection c = connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                return rs.next() ? rs.getString(1) : null;
            }
            catch (SQLException e) {
                throw new IllegalStateException(sql + ": " + e.getMessage(), e);
            }
        }

        long queryLong(String database, String sql) {
            return Long.parseLong(queryString(database, sql));
        }

        /** The steps of a job execution, in the order they ran, from {@code batch_step_execution}. */
        List<StepTime> steps(String database, long executionId) throws SQLException {
            List<StepTime> steps = new ArrayList<>();
            try (Connection c = connect(database); PreparedStatement s = c.prepareStatement("""
                    select step_name, status, extract(epoch from (end_time - start_time)), read_count, write_count,
                        commit_count
                    from batch_step_execution where job_execution_id = ? order by step_execution_id""")) {
                s.setLong(1, executionId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        steps.add(new StepTime(rs.getString(1), rs.getString(2), rs.getDouble(3), rs.getLong(4),
                                rs.getLong(5), rs.getLong(6)));
                    }
                }
            }
            return steps;
        }

        /**
         * When a job execution started and ended ({@code batch_job_execution}; nulls when unknown). Spring Batch
         * writes the app JVM's local time; the app runs on this machine, in this time zone.
         */
        Instant[] jobWindow(String database, long executionId) throws SQLException {
            try (Connection c = connect(database); PreparedStatement s = c.prepareStatement(
                    "select start_time, end_time from batch_job_execution where job_execution_id = ?")) {
                s.setLong(1, executionId);
                try (ResultSet rs = s.executeQuery()) {
                    Instant[] window = new Instant[2];
                    if (rs.next()) {
                        for (int i = 0; i < 2; i++) {
                            var time = rs.getObject(i + 1, java.time.LocalDateTime.class);
                            window[i] = time == null ? null : time.atZone(java.time.ZoneId.systemDefault()).toInstant();
                        }
                    }
                    return window;
                }
            }
        }

        /** end_time − start_time of a job execution ({@code batch_job_execution}), NaN when unknown. */
        double jobSeconds(String database, long executionId) throws SQLException {
            try (Connection c = connect(database); PreparedStatement s = c.prepareStatement("""
                    select extract(epoch from (end_time - start_time)) from batch_job_execution
                    where job_execution_id = ?""")) {
                s.setLong(1, executionId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getDouble(1) : Double.NaN;
                }
            }
        }

        /** Milliseconds Flyway recorded for its migrations, -1 when there is no Flyway table. */
        long flywayMillis(String database) throws SQLException {
            try (Connection c = connect(database); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select coalesce(sum(execution_time), 0) from flyway_schema_history")) {
                return rs.next() ? rs.getLong(1) : -1;
            }
            catch (SQLException noFlywayTable) {
                return -1;
            }
        }
    }

    // ------------------------------------------------------------------ psql

    /** The psql of the baselines, if there is one: {@code PSQL}, else the first on the PATH. */
    record Psql(Optional<Path> path, String note) {

        static Psql find() {
            Optional<Path> psql;
            String configured = System.getenv("PSQL");
            if (configured != null && !configured.isBlank()) {
                psql = Optional.of(Path.of(configured));
            }
            else {
                psql = Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator))
                        .map(d -> Path.of(d, "psql")).filter(Files::isExecutable).findFirst();
            }
            String note;
            if (psql.isPresent()) {
                String version = run(List.of(psql.get().toString(), "--version")).trim();
                Matcher m = Pattern.compile("\\d+(\\.\\d+)+").matcher(version);
                note = "psql " + (m.find() ? m.group() : version);
                say("baseline with %s (%s)", psql.get(), note);
            }
            else {
                note = "psql not found (apt-get install -y postgresql-client): baseline timed with pgjdbc's "
                        + "CopyManager COPY … FROM STDIN instead";
                say("%s", note);
            }
            return new Psql(psql, note);
        }

        boolean present() {
            return path.isPresent();
        }

        /** Runs one psql command against a database and gives the wall clock of the process; fails on an error. */
        double time(Postgres pg, String database, String command, Path log) throws IOException, InterruptedException {
            ProcessBuilder pb = new ProcessBuilder(path.orElseThrow().toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                    "-h", pg.host(), "-p", String.valueOf(pg.port()), "-U", "postgres", "-d", database, "-c", command)
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().remove("PGPASSWORD");
            long start = System.nanoTime();
            Process p = pb.start();
            int exit = p.waitFor();
            double seconds = seconds(start);
            if (exit != 0) {
                throw new BenchmarkFailure("psql exited with " + exit + " on "
                        + abbreviate(command.replaceAll("\\s+", " ").trim(), 120) + ": " + tail(log, 20));
            }
            return seconds;
        }

        /**
         * The export baselines: {@code \copy (SELECT) to FILE with (format csv, header true)}, the wall clock of psql;
         * without psql, pgjdbc's {@code COPY … TO STDOUT} into the file, timed in this JVM.
         */
        Copy copyOut(Postgres pg, String database, String select, Path file, Path log) throws Exception {
            Files.deleteIfExists(file);
            if (present()) {
                // psql's \copy is one line
                return new Copy(time(pg, database, "\\copy (" + select.replaceAll("\\s+", " ").trim() + ") to '"
                        + file.toString().replace("'", "''") + "' with (format csv, header true)", log), true);
            }
            long start = System.nanoTime();
            try (Connection c = pg.connect(database); OutputStream out = Files.newOutputStream(file)) {
                c.unwrap(PGConnection.class).getCopyAPI().copyOut("copy (" + select
                        + ") to stdout with (format csv, header true)", out);
            }
            return new Copy(seconds(start), false);
        }

        /**
         * The load baselines: {@code \copy TABLE(COLUMNS) from FILE with (format csv, header true)}, the wall clock of
         * psql; without psql, pgjdbc's {@code COPY … FROM STDIN} from the file, timed in this JVM.
         */
        Copy copyIn(Postgres pg, String database, String tableAndColumns, Path file, Path log) throws Exception {
            if (present()) {
                return new Copy(time(pg, database, "\\copy " + tableAndColumns + " from '"
                        + file.toString().replace("'", "''") + "' with (format csv, header true)", log), true);
            }
            long start = System.nanoTime();
            try (Connection c = pg.connect(database); InputStream in = Files.newInputStream(file)) {
                c.unwrap(PGConnection.class).getCopyAPI().copyIn("copy " + tableAndColumns
                        + " from stdin with (format csv, header true)", in, 1 << 16);
            }
            return new Copy(seconds(start), false);
        }
    }

    /** A baseline's wall clock, and whether psql took it (else pgjdbc's CopyManager, psql not being installed). */
    record Copy(double seconds, boolean viaPsql) {
    }

    // ------------------------------------------------------------------ the app

    /**
     * How the benchmarks run the app, as the README recommends for daily work and scripts: the launcher
     * starts the build's plain jars with its class-data-sharing archive, about 3 s sooner than
     * {@code java -jar}, which is most of what a short job pays on top of its work.
     */
    static final String LAUNCH = "JAVA_OPTS=" + XMX + " bin/contact-batch";

    /**
     * {@code CONTACT_BATCH_WARM=off JAVA_OPTS=-Xmx256m bin/contact-batch ARGS} for the app jar {@code jar} (the launcher takes the
     * plain jars and the archive the build extracted beside it) against one database of the benchmark's
     * server, its log in {@code log} and its reports under {@code reportsDir}; nothing from the caller's
     * environment may change the heap or the database. The launcher execs the JVM, so the process is the
     * JVM whose peak RSS is read.
     */
    static ProcessBuilder app(Path jar, Path log, Path reportsDir, String jdbcUrl, List<String> appArgs) {
        List<String> command = new ArrayList<>(List.of("sh", Path.of("bin", "contact-batch").toAbsolutePath().toString()));
        command.addAll(appArgs);
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("JDK_JAVA_OPTIONS");
        env.remove("_JAVA_OPTIONS");
        env.keySet().removeIf(k -> k.startsWith("SPRING_"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("CONTACT_BATCH_JAR", jar.toAbsolutePath().toString());
        // the job runs in this process, whose time and memory are measured, never in a warm process left behind
        env.put("CONTACT_BATCH_WARM", "off");
        env.put("JAVA_OPTS", String.join(" ", XMX, "-Dcontact-batch.log-file=" + log.toAbsolutePath(),
                "-Dcontact-batch.reports-dir=" + reportsDir.toAbsolutePath()));
        env.put("SPRING_DATASOURCE_URL", jdbcUrl);
        env.put("SPRING_DATASOURCE_USERNAME", "postgres");
        env.put("SPRING_DATASOURCE_PASSWORD", "");
        return pb;
    }

    /**
     * Starts the app, polls its peak RSS (VmHWM) every 50 ms until it exits, and reads the last JSON
     * line of its stdout. The caller checks the exit code and the summary.
     */
    static AppRun timeApp(ProcessBuilder pb, Path out, Path err) throws IOException, InterruptedException {
        return timeApp(pb, out, err, 0, null);
    }

    /**
     * As {@link #timeApp(ProcessBuilder, Path, Path)}, but a run longer than {@code timeoutSeconds} (0: no
     * limit) is stopped: {@code onTimeout} says what it was doing (and may cancel its database work), then
     * the process gets a minute to end before it is killed.
     */
    static AppRun timeApp(ProcessBuilder pb, Path out, Path err, double timeoutSeconds, Supplier<String> onTimeout)
            throws IOException, InterruptedException {
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        Process p = pb.start();
        long peakKiB = 0;
        double firstOutput = Double.NaN;
        String timedOut = null;
        Path status = Path.of("/proc", String.valueOf(p.pid()), "status");
        while (true) {
            peakKiB = Math.max(peakKiB, vmHwmKiB(status));
            if (Double.isNaN(firstOutput) && Files.size(out) > 0) {
                firstOutput = seconds(start);
            }
            if (p.waitFor(50, TimeUnit.MILLISECONDS)) {
                break;
            }
            if (timedOut == null && timeoutSeconds > 0 && seconds(start) > timeoutSeconds) {
                timedOut = onTimeout == null ? "" : onTimeout.get();
                say("  stopping it: it has run for %s; %s", secs(seconds(start)), timedOut);
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroy();
                    if (!p.waitFor(10, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                }
            }
        }
        double seconds = seconds(start);
        String json = Files.readAllLines(out).stream().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
        JsonNode summary = json == null ? null : JsonMapper.builder().build().readTree(json);
        return new AppRun(seconds, peakKiB, p.exitValue(), json, summary, out, err, firstOutput, timedOut, startedAt);
    }

    /** Runs the app to its end and gives its wall clock; fails when it exits with an error. */
    static double timeAppPlain(ProcessBuilder pb, Path output) throws IOException, InterruptedException {
        pb.redirectErrorStream(true).redirectOutput(output.toFile());
        long start = System.nanoTime();
        int exit = pb.start().waitFor();
        double seconds = seconds(start);
        if (exit != 0) {
            throw new BenchmarkFailure("'" + String.join(" ", pb.command().subList(2,
                    pb.command().size())) + "' exited with " + exit + ": " + tail(output, 20));
        }
        return seconds;
    }

    /**
     * Fails unless the app exited 0 with a COMPLETED JSON summary whose counts are the expected ones; gives all its
     * counts. {@code what} names the command in the message, {@code log} is the app's log to look at.
     */
    static Map<String, Long> checkCompleted(AppRun app, String what, Map<String, Long> expected, Path log) {
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
            for (Map.Entry<String, Long> count : new java.util.TreeMap<>(expected).entrySet()) {
                if (summary.path("counts").path(count.getKey()).asLong(-1) != count.getValue()) {
                    problem = what + "'s count " + count.getKey() + " is " + summary.path("counts").path(count.getKey())
                            + ", expected " + count.getValue();
                    break;
                }
            }
        }
        if (problem != null) {
            throw new BenchmarkFailure(problem + "\n  stdout: " + (app.json() == null ? tail(app.out(), 5) : app.json())
                    + "\n  stderr (" + app.err() + "):\n" + tail(app.err(), 30) + "\n  log: " + log);
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        summary.path("counts").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
        return counts;
    }

    private static final Pattern SPRING_STARTED = Pattern.compile("Started \\S+ in [0-9.]+ seconds \\(process running for ([0-9.]+)\\)");

    /**
     * Spring Boot's "process running for" when the application had started, from the app's log (its last
     * start there); NaN when not there.
     */
    static double springStartedSeconds(Path appLog) {
        try {
            double started = Double.NaN;
            for (String line : Files.readAllLines(appLog)) {
                Matcher m = SPRING_STARTED.matcher(line);
                if (m.find()) {
                    started = Double.parseDouble(m.group(1));
                }
            }
            return started;
        }
        catch (IOException | RuntimeException e) {
            // for information only
        }
        return Double.NaN;
    }

    static long vmHwmKiB(Path status) {
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

    // ------------------------------------------------------------------ markdown

    static void row(StringBuilder md, String label, List<String> cells, String used) {
        md.append("| ").append(label).append(" |");
        cells.forEach(c -> md.append(' ').append(c).append(" |"));
        md.append(' ').append(used).append(" |\n");
    }

    /** The head of a table of figures: a column for each of the {@code runs} runs, then what is used of them. */
    static void figureTable(StringBuilder md, int runs) {
        md.append("| figure |");
        for (int i = 1; i <= runs; i++) {
            md.append(" run ").append(i).append(" |");
        }
        md.append(" used / note |\n|---|").append("---|".repeat(runs + 1)).append('\n');
    }

    /** A row's cells, one for each run. */
    static <T> List<String> cells(List<T> runs, Function<T, String> cell) {
        return runs.stream().map(cell).toList();
    }

    /** A row's cells from the runs' indexes (for figures of two lists, such as a job and its baseline). */
    static List<String> cells(int runs, IntFunction<String> cell) {
        return IntStream.range(0, runs).mapToObj(cell).toList();
    }

    /** The best (least) of a figure over the runs, NaN when there is no run: the machines are shared, noise only adds. */
    static <T> double best(List<T> runs, ToDoubleFunction<T> figure) {
        return runs.stream().mapToDouble(figure).min().orElse(Double.NaN);
    }

    /** The most of a figure over the runs (a peak RSS), 0 when there is no run. */
    static <T> long most(List<T> runs, ToLongFunction<T> figure) {
        return runs.stream().mapToLong(figure).max().orElse(0);
    }

    /**
     * A row for each step the runs ran (in the order they ran), its time in each run ({@code —} where a run did not
     * get to it, "failed after …" where it did not complete), and the note {@code note} gives for it from the last
     * run in which it completed (its counts).
     */
    static <T> void stepRows(StringBuilder md, String label, List<T> runs, Function<T, List<StepTime>> stepsOf,
            Function<StepTime, String> note) {
        Set<String> names = new LinkedHashSet<>();
        runs.forEach(run -> stepsOf.apply(run).forEach(s -> names.add(s.name())));
        for (String name : names) {
            String used = "";
            List<String> cells = new ArrayList<>();
            for (T run : runs) {
                Optional<StepTime> step = stepsOf.apply(run).stream().filter(s -> s.name().equals(name)).findFirst();
                cells.add(step.map(s -> s.status().equals("COMPLETED") ? secs(s.seconds())
                        : s.status().toLowerCase(Locale.ROOT) + " after " + secs(s.seconds())).orElse("—"));
                if (step.isPresent() && step.get().status().equals("COMPLETED")) {
                    used = note.apply(step.get());
                }
            }
            row(md, label + "`" + name + "`", cells, used);
        }
    }

    static String date() {
        return ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
    }

    /** "`nproc` 2, 23.5 GiB memory, CPU model; load average at start 1.0 / 1.0 / 1.0" */
    static String machine(String loadAtStart) {
        return "`nproc` " + nproc() + ", " + totalMemory() + " memory, " + cpuModel() + "; load average at start "
                + loadAtStart;
    }

    static String javaVersion() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    }

    /** Replaces the section that starts with the section's first line, or appends it. */
    static void writeMarkdown(Path markdown, String section) throws IOException {
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

                Performance figures of contact-batch's jobs against their targets: each job beside what
                PostgreSQL itself does for the same work, in the same run, on the same server. Each section is
                written by a benchmark program, and running it again replaces that section.

                - **What is measured:** a job run the way a user runs it (`JAVA_OPTS=-Xmx256m bin/contact-batch …`,
                  wall clock of the whole process, JVM start-up included) against PostgreSQL's own bulk path for the
                  same work (`psql \\copy` of the same file into a table with the same indexes), on the same
                  PostgreSQL server in the same run. Targets are ratios, because absolute times drift between
                  machines and runs. Peak RSS of the job's JVM is read from `/proc/<pid>/status` (VmHWM).
                - **Where:** the figures come from this project's 2-core machines, on an embedded PostgreSQL that the
                  benchmark starts itself with the app's embedded settings. Other work on the machine makes them
                  noisy: each measurement runs twice and the better one is used.
                - **How to run:** `bench/upload.sh [ROWS]` (default 1,000,000 rows; likewise `bench/export.sh`,
                  `bench/reimport.sh`, …) builds the app and, with the Maven profile `bench`, the benchmarks
                  (`src/bench/java`, which the everyday build leaves out), generates the input under `bench-data/`
                  (git-ignored) and rewrites its section here. It needs Java 17 and, for the baseline, `psql`
                  (`apt-get install -y postgresql-client`; without it the baseline falls back to pgjdbc's `CopyManager`
                  and says so). `BENCH_SERVER=host:port` runs the upload, re-import and export benchmarks against a
                  PostgreSQL 15+ server of its own instead (its sections say so in their heading).
                """;
    }

    // ------------------------------------------------------------------ machine

    static String nproc() {
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

    static String totalMemory() {
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

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("CPU model unknown");
        }
        catch (IOException e) {
            return "CPU model unknown";
        }
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        }
        catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    // ------------------------------------------------------------------ small things

    static String run(List<String> command) {
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

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
        catch (IOException | RuntimeException e) {
            return "(cannot read " + file + ")";
        }
    }

    static String relative(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Line feeds in a file: its lines, for a CSV whose cells hold none (the generated contacts). */
    static long lines(Path file) throws IOException {
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

    /** The start of a text for a message or a table cell (backquotes would end the cell's code span). */
    static String abbreviate(String text, int max) {
        String t = text.replace('`', '\'');
        return t.length() <= max ? t : t.substring(0, max - 1) + "…";
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static String secs(double s) {
        return Double.isNaN(s) ? "?" : String.format(Locale.ROOT, "%.2f s", s);
    }

    static String mib(long kib) {
        return String.format(Locale.ROOT, "%,d MiB", Math.round(kib / 1024.0));
    }

    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2f×", r);
    }

    static void say(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[bench %s] %s%n",
                ZonedDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")), String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
