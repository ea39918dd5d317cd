package org.contactbatch.db;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The embedded PostgreSQL as one server for every process of this user: the first process that
 * needs it starts a real postmaster (detached, on a local port, password login), any later one —
 * the command line beside {@code serve}, two uploads at once — finds it running and connects.
 *
 * <p>Who uses it is kept by the operating system, not by files that a {@code kill -9} could leave
 * behind: each process using the database holds a shared lock on {@code db-users.lock} for as long as
 * it lives. A small watcher process ({@link ServerWatch}) stops the server once nobody has held that
 * lock for the idle time, taking the lock exclusively first, so no process can start using a server
 * that is being stopped. Starting and stopping happen under {@code db-start.lock}, so two processes
 * never start two servers; PostgreSQL's own {@code postmaster.pid} says where the server listens.
 */
public final class EmbeddedServer {

    static final String SUPERUSER = "postgres";
    static final String DATABASE = "postgres";
    private static final String PASSWORD_FILE = "contact-batch.password";
    private static final String HBA_MARKER = "# contact-batch: password login from this machine only";

    /** This process's hold on each server it uses: the shared lock, kept until the JVM ends. */
    private static final Map<Path, FileLock> HELD = new HashMap<>();

    /** The setting for how long the server runs on with no user. */
    public static final String IDLE_STOP_PROPERTY = "contact-batch.embedded.idle-stop";

    private final DataHome home;

    public EmbeddedServer(DataHome home) {
        this.home = home;
    }

    /** {@code contact-batch.embedded.idle-stop} from settings read by {@code property}; 5 minutes unless set. */
    public static Duration idleStop(java.util.function.Function<String, String> property) {
        String value = property.apply(IDLE_STOP_PROPERTY);
        return value == null || value.isBlank() ? Duration.ofMinutes(5)
                : org.springframework.boot.convert.DurationStyle.detectAndParse(value.trim());
    }

    public DataHome home() {
        return home;
    }

    /** Where the server runs, read from PostgreSQL's {@code postmaster.pid}. */
    public record Running(long pid, int port, Instant since, String state) {

        public boolean ready() {
            return state.equals("ready");
        }
    }

    /** How to connect. */
    public record Login(String url, String user, String password) {
    }

    /** One process using the database, as PostgreSQL sees its connections. */
    public record User(String name, int connections, Instant since) {
    }

    /**
     * Makes sure the server runs and this process is counted as one of its users, starting it when
     * nobody has, and returns how to connect.
     *
     * @param idleStop how long the server keeps running after its last user is gone
     */
    public Login use(Duration idleStop) {
        try {
            Files.createDirectories(home.path());
            holdAsUser();
            Running running = startIfStopped();
            ServerWatch.startIfMissing(home, idleStop);
            return login(running);
        }
        catch (IOException e) {
            throw new DatabaseUnavailableException("cannot use the embedded database in " + home.database() + ": "
                    + e.getMessage() + " (see " + home.databaseLog() + ")", e);
        }
    }

    /** Starts the server if it is not running, without becoming one of its users ({@code db start}). */
    public Running start() throws IOException {
        Files.createDirectories(home.path());
        return startIfStopped();
    }

    /** The server, if one runs on this home's data directory. */
    public Optional<Running> running() {
        Path pidFile = home.database().resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        }
        catch (IOException gone) {
            return Optional.empty();
        }
        if (lines.size() < 4) {
            return Optional.empty(); // being written by a postmaster that is starting
        }
        long pid;
        int port;
        Instant since;
        try {
            pid = Long.parseLong(lines.get(0).trim());
            port = Integer.parseInt(lines.get(3).trim());
            since = Instant.ofEpochSecond(Long.parseLong(lines.get(2).trim()));
        }
        catch (NumberFormatException halfWritten) {
            return Optional.empty();
        }
        // a pid file left by a server that died (or a machine that restarted) names a process that is
        // not that server any more: it counts only while a postgres program has that pid
        boolean alive = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .flatMap(p -> p.info().command())
                .map(command -> command.endsWith("/postgres"))
                .orElse(false);
        if (!alive) {
            return Optional.empty();
        }
        String state = lines.size() > 7 ? lines.get(7).trim() : "starting";
        return Optional.of(new Running(pid, port, since, state));
    }

    /** The processes connected to the server now, but this one. */
    public List<User> users(Running running) throws SQLException {
        try (Connection connection = connect(running);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     select coalesce(nullif(application_name, ''), 'client at ' || client_addr || ':' || client_port) as name,
                            count(*) as connections, min(backend_start) as since
                     from pg_stat_activity
                     where backend_type = 'client backend' and pid <> pg_backend_pid()
                     group by 1 order by 3""")) {
            List<User> users = new ArrayList<>();
            while (rows.next()) {
                users.add(new User(rows.getString("name"), rows.getInt("connections"),
                        rows.getTimestamp("since").toInstant()));
            }
            return users;
        }
    }

    /** Whether any process holds the users' lock now (this one does not count unless it holds it). */
    public boolean inUse() throws IOException {
        try (FileChannel channel = openLock("db-users.lock"); FileLock lock = tryExclusive(channel)) {
            return lock == null;
        }
    }

    /** Keeps the server running even with no user ({@code db start}), or lets the idle stop apply again. */
    public void keepRunning(boolean keep) throws IOException {
        Path marker = home.path().resolve("db-keep-running");
        if (keep) {
            Files.writeString(marker, "kept running by 'contact-batch db start'; 'contact-batch db stop' undoes it\n");
        }
        else {
            Files.deleteIfExists(marker);
        }
    }

    public boolean keptRunning() {
        return Files.exists(home.path().resolve("db-keep-running"));
    }

    /**
     * Stops the server (PostgreSQL's fast shutdown: open transactions roll back, nothing committed is
     * lost). Refused while a process uses it, unless {@code force}.
     *
     * @return false when no server was running
     */
    public boolean stop(boolean force) throws IOException {
        try (FileChannel start = openLock("db-start.lock"); FileLock ignored = start.lock();
             FileChannel users = openLock("db-users.lock"); FileLock idle = tryExclusive(users)) {
            if (idle == null && !force) {
                throw new IllegalStateException("the database is in use; see 'contact-batch db status', "
                        + "or stop it anyway with 'contact-batch db stop --force'");
            }
            return stopLocked();
        }
    }

    /** Stops the server; the caller holds the start lock. */
    boolean stopLocked() throws IOException {
        return stopLocked(stopCommand());
    }

    /** The command that stops the server: worked out ahead by a long-lived keeper, whose jar may be replaced meanwhile. */
    List<String> stopCommand() {
        return PostgresBinaries.unpacked().command("pg_ctl", "-D", home.database().toString(), "-m", "fast", "-w", "-t", "120", "stop");
    }

    boolean stopLocked(List<String> stopCommand) throws IOException {
        Optional<Running> running = running();
        if (running.isEmpty()) {
            return false;
        }
        int exit = run(stopCommand);
        if (exit != 0 && running().isPresent()) {
            throw new IOException("pg_ctl stop failed (exit " + exit + "); see " + home.databaseLog());
        }
        return true;
    }

    private void holdAsUser() throws IOException {
        synchronized (HELD) {
            FileLock held = HELD.get(home.path());
            if (held != null && held.isValid()) {
                return;
            }
            // waits while a keeper stops the idle server: then this process starts it again
            HELD.put(home.path(), openLock("db-users.lock").lock(0, Long.MAX_VALUE, true));
        }
    }

    private Running startIfStopped() throws IOException {
        Optional<Running> running = running();
        if (running.isPresent() && running.get().ready()) {
            return running.get();
        }
        try (FileChannel channel = openLock("db-start.lock"); FileLock ignored = channel.lock()) {
            running = awaitReady(running());
            if (running.isPresent()) {
                secureIfOpen(running.get());
                return running.get();
            }
            PostgresBinaries binaries = PostgresBinaries.unpacked();
            if (!Files.exists(home.database().resolve("PG_VERSION"))) {
                initialise(binaries);
            }
            int port = freePort();
            String options = String.join(" ",
                    "-p", String.valueOf(port),
                    "-c", "listen_addresses=127.0.0.1",
                    "-c", "unix_socket_directories=''",
                    "-c", "timezone=UTC",
                    // bulk loads: no wait for the disk at each commit; a killed process loses nothing it
                    // committed (the WAL is written), only a crash of the machine could lose the last commits
                    "-c", "synchronous_commit=off",
                    "-c", "max_wal_size=2GB",
                    "-c", "shared_buffers=256MB",
                    // every process has a pool of up to 10, and serve more
                    "-c", "max_connections=200");
            int exit = run(binaries.command("pg_ctl", "-D", home.database().toString(),
                    "-l", home.databaseLog().toString(), "-o", options, "-w", "-t", "120", "start"));
            Optional<Running> started = awaitReady(running());
            if (exit != 0 || started.isEmpty()) {
                throw new DatabaseUnavailableException("the embedded PostgreSQL in " + home.database()
                        + " did not start (pg_ctl exit " + exit + "): " + lastLine(home.databaseLog())
                        + " — see " + home.databaseLog());
            }
            secureIfOpen(started.get());
            return started.get();
        }
    }

    /** A server that is starting up is waited for; one that is stopping counts as stopped once it has. */
    private Optional<Running> awaitReady(Optional<Running> running) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (running.isPresent() && !running.get().ready() && Instant.now().isBefore(deadline)) {
            sleep(50);
            running = running();
        }
        return running.filter(Running::ready);
    }

    private void initialise(PostgresBinaries binaries) throws IOException {
        String password = newPassword();
        Path passwordFile = home.path().resolve(PASSWORD_FILE + ".new");
        writePrivate(passwordFile, password);
        int exit = run(binaries.command("initdb", "-D", home.database().toString(), "-U", SUPERUSER,
                "-A", "scram-sha-256", "--pwfile=" + passwordFile, "-E", "UTF-8"));
        if (exit != 0) {
            throw new DatabaseUnavailableException("could not create the embedded database in " + home.database()
                    + " (initdb exit " + exit + "): " + lastLine(home.databaseLog()) + " — see " + home.databaseLog());
        }
        Files.move(passwordFile, home.database().resolve(PASSWORD_FILE));
        writeHba();
    }

    /**
     * A data directory made by an earlier version lets anyone on the machine in without a password.
     * Give it one (kept readable by this user only) and require it from then on.
     */
    private void secureIfOpen(Running running) throws IOException {
        Path hba = home.database().resolve("pg_hba.conf");
        if (Files.readString(hba).contains(HBA_MARKER)) {
            return;
        }
        Path passwordFile = home.database().resolve(PASSWORD_FILE);
        if (!Files.exists(passwordFile)) {
            writePrivate(passwordFile, newPassword());
        }
        try (Connection connection = connect(running); Statement statement = connection.createStatement()) {
            // a password of hex digits only: nothing in it needs quoting
            statement.execute("alter role " + SUPERUSER + " password '" + password() + "'");
            writeHba();
            statement.execute("select pg_reload_conf()");
        }
        catch (SQLException e) {
            throw new IOException("could not set the database's password: " + e.getMessage(), e);
        }
    }

    private void writeHba() throws IOException {
        Files.writeString(home.database().resolve("pg_hba.conf"), HBA_MARKER + "\n"
                + "local all all scram-sha-256\n"
                + "host all all 127.0.0.1/32 scram-sha-256\n"
                + "host all all ::1/128 scram-sha-256\n");
    }

    Login login(Running running) throws IOException {
        return new Login("jdbc:postgresql://127.0.0.1:" + running.port() + "/" + DATABASE, SUPERUSER, password());
    }

    Connection connect(Running running) throws SQLException {
        try {
            Login login = login(running);
            Properties properties = new Properties();
            properties.setProperty("user", login.user());
            properties.setProperty("password", login.password());
            properties.setProperty("ApplicationName", "contact-batch db");
            properties.setProperty("connectTimeout", "10");
            return DriverManager.getConnection(login.url(), properties);
        }
        catch (IOException e) {
            throw new SQLException("cannot read the database's password: " + e.getMessage(), e);
        }
    }

    private String password() throws IOException {
        return Files.readString(home.database().resolve(PASSWORD_FILE)).trim();
    }

    /** The lock, or null while any process holds it — this one too (Java refuses a second lock of its own). */
    static FileLock tryExclusive(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        }
        catch (OverlappingFileLockException heldHere) {
            return null;
        }
    }

    private FileChannel openLock(String name) throws IOException {
        return FileChannel.open(home.path().resolve(name),
                StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** Runs a PostgreSQL program to its end, its output appended to the database's log. */
    private int run(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.databaseLog().toFile()));
        builder.environment().put("LC_MESSAGES", "C");
        Process process = builder.start();
        try {
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.get(command.size() - 1) + " did not finish in 180 s");
            }
            return process.exitValue();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).trim();
                }
            }
        }
        catch (IOException | UncheckedIOException e) {
            // no log to quote
        }
        return "no message";
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content + "\n");
    }

    private static String newPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseUnavailableException("interrupted while waiting for the embedded database", e);
        }
    }
}
