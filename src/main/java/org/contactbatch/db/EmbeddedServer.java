package org.contactbatch.db;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.FileSystemUtils;

/**
 * The embedded PostgreSQL as one server for every process of this user: the first process that
 * needs it starts a real postmaster (detached, on a local port, password login), any later one —
 * the command line beside {@code serve}, two uploads at once — finds it running and connects.
 *
 * <p>Who uses it is kept by the operating system, not by files that a {@code kill -9} could leave
 * behind: each process using the database holds a shared lock on {@code db-users.lock} for as long as
 * it lives. A small keeper process ({@link ServerWatch}) stops the server once nobody has held that
 * lock for the idle time, taking the lock exclusively first, so no process can start using a server
 * that is being stopped. Starting and stopping happen under {@code db-start.lock}, so two processes
 * never start two servers; PostgreSQL's own {@code postmaster.pid} says where the server listens.
 *
 * <p>The locks are POSIX record locks: a process loses every lock it holds on a file as soon as it
 * closes <em>any</em> descriptor of that file. So this class never opens {@code db-users.lock} a
 * second time in a process that holds it.
 */
public final class EmbeddedServer {

    /** The setting for how long the server runs on with no user. */
    public static final String IDLE_STOP_PROPERTY = "contact-batch.embedded.idle-stop";

    static final String SUPERUSER = "postgres";
    static final String DATABASE = "postgres";
    private static final String PASSWORD_FILE = "contact-batch.password";
    private static final String HBA_MARKER = "# contact-batch: password login from this machine only";
    private static final String USERS_LOCK = "db-users.lock";
    private static final String START_LOCK = "db-start.lock";

    /** This process's hold on each server it uses: the shared lock, kept until the JVM ends. */
    private static final Map<Path, FileLock> HELD = new HashMap<>();

    private final DataHome home;

    public EmbeddedServer(DataHome home) {
        this.home = home;
    }

    /** {@code contact-batch.embedded.idle-stop} from settings read by {@code property}; 5 minutes unless set. */
    public static Duration idleStop(Function<String, String> property) {
        String value = property.apply(IDLE_STOP_PROPERTY);
        return value == null || value.isBlank() ? Duration.ofMinutes(5) : DurationStyle.detectAndParse(value.trim());
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
            createHome();
            holdAsUser();
            Running running = startIfStopped();
            try {
                ServerWatch.startIfMissing(home, idleStop);
            }
            catch (IOException e) {
                // only a convenience: without a keeper the server runs on until the next command starts one
                log("could not start the database's keeper: " + e.getMessage());
            }
            return login(running);
        }
        catch (IOException e) {
            throw unavailable("cannot use the embedded database in " + home.database() + ": " + e.getMessage(), e);
        }
    }

    /** Lets go of this process's hold on the server (tests; a process's hold ends with it anyway). */
    public void release() throws IOException {
        synchronized (HELD) {
            FileLock held = HELD.remove(home.path());
            if (held != null) {
                held.channel().close();
            }
        }
    }

    /** Lets go of every hold this process has (a warm process between its warm-up and its command). */
    public static void releaseAll() {
        synchronized (HELD) {
            for (FileLock held : HELD.values()) {
                try {
                    held.channel().close();
                }
                catch (IOException e) {
                    // closing is all there is to do
                }
            }
            HELD.clear();
        }
    }

    /**
     * Starts the server if it is not running and keeps it running with no user until
     * {@link #stop} ({@code db start}): marked first, so a keeper about to stop it sees the mark.
     */
    public Running startAndKeep() {
        try {
            createHome();
            keepRunning(true);
            return startIfStopped();
        }
        catch (IOException e) {
            throw unavailable("cannot start the embedded database in " + home.database() + ": " + e.getMessage(), e);
        }
    }

    /** The server, if one runs on this home's data directory. */
    public Optional<Running> running() {
        Path pidFile = home.database().resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        }
        catch (IOException | UncheckedIOException gone) {
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
        if (!PostmasterProcess.isThat(pid, since, home.database())) {
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

    /** Whether any process holds the server as a user now, this one included. */
    public boolean inUse() throws IOException {
        synchronized (HELD) {
            if (HELD.containsKey(home.path())) {
                return true;
            }
            try (FileChannel channel = openLock(USERS_LOCK); FileLock lock = tryExclusive(channel)) {
                return lock == null;
            }
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
     * lost). Refused while a process uses it, unless {@code force}; either way the mark of
     * {@code db start} is gone once it is stopped.
     *
     * @return false when no server was running
     */
    public boolean stop(boolean force) {
        try {
            if (!Files.isDirectory(home.path())) {
                return false;
            }
            try (FileChannel start = openLock(START_LOCK); FileLock ignored = start.lock()) {
                if (!force && inUse()) {
                    throw new IllegalStateException("the database is in use; see 'contact-batch db status', "
                            + "or stop it anyway with 'contact-batch db stop --force'");
                }
                keepRunning(false);
                return stopLocked(stopCommand());
            }
        }
        catch (IOException e) {
            throw unavailable("could not stop the embedded database in " + home.database() + ": " + e.getMessage(), e);
        }
    }

    /** The command that stops the server: worked out ahead by a long-lived keeper, whose jar may be replaced meanwhile. */
    List<String> stopCommand() {
        return PostgresBinaries.unpacked().command("pg_ctl", "-D", home.database().toString(), "-m", "fast", "-w", "-t", "120", "stop");
    }

    /** Stops the server; the caller holds the start lock. */
    boolean stopLocked(List<String> stopCommand) throws IOException {
        if (running().isEmpty()) {
            return false;
        }
        int exit = run(stopCommand);
        if (exit != 0 && running().isPresent()) {
            throw new IOException("pg_ctl stop failed (exit " + exit + "); see " + home.databaseLog());
        }
        return true;
    }

    private void createHome() throws IOException {
        if (!Files.isDirectory(home.path())) {
            // reports and the log hold people's contact data: this user's only
            Files.createDirectories(home.path(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    private void holdAsUser() throws IOException {
        synchronized (HELD) {
            FileLock held = HELD.get(home.path());
            if (held != null && held.isValid()) {
                return;
            }
            // waits while a keeper stops the idle server: then this process starts it again
            HELD.put(home.path(), openLock(USERS_LOCK).lock(0, Long.MAX_VALUE, true));
        }
    }

    private Running startIfStopped() throws IOException {
        Optional<Running> running = running();
        if (running.isPresent() && running.get().ready() && secured()) {
            return running.get();
        }
        try (FileChannel channel = openLock(START_LOCK); FileLock ignored = channel.lock()) {
            running = awaitReady(running());
            if (running.isPresent() && secured()) {
                return running.get();
            }
            if (running.isPresent()) {
                stopEarlierVersion(running.get());
            }
            PostgresBinaries binaries = PostgresBinaries.unpacked();
            if (!Files.exists(home.database().resolve("PG_VERSION"))) {
                initialise(binaries);
            }
            else if (!secured()) {
                secure(binaries, home.database());
            }
            removeStalePidFile();
            return startLocked(binaries);
        }
    }

    private Running startLocked(PostgresBinaries binaries) throws IOException {
        int port = port();
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
        long logSize = logSize();
        int exit = run(binaries.command("pg_ctl", "-D", home.database().toString(),
                "-l", home.databaseLog().toString(), "-o", options, "-w", "-t", "120", "start"));
        Optional<Running> started = awaitReady(running());
        if (started.isEmpty()) {
            throw unavailable("the embedded PostgreSQL in " + home.database() + " did not start (pg_ctl exit " + exit
                    + "): " + reason(logSize) + " — see " + home.databaseLog(), null);
        }
        return started.get();
    }

    /**
     * The port it listened on before, so processes that were connected (serve) find it again after a
     * restart; another free one when that one is taken meanwhile.
     */
    private int port() throws IOException {
        Path remembered = home.path().resolve("db-port");
        if (Files.exists(remembered)) {
            try {
                int port = Integer.parseInt(Files.readString(remembered).trim());
                try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    return port;
                }
                catch (IOException taken) {
                    // someone else has it now
                }
            }
            catch (NumberFormatException unreadable) {
                // a new one below
            }
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Files.writeString(remembered, port + "\n");
        return port;
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

    private boolean secured() throws IOException {
        Path hba = home.database().resolve("pg_hba.conf");
        return Files.exists(home.database().resolve(PASSWORD_FILE)) && Files.exists(hba)
                && Files.readString(hba).contains(HBA_MARKER);
    }

    /**
     * A new data directory is made beside its place and moved there whole, with its password and
     * its rules inside: a process killed half-way leaves nothing that looks like a database.
     */
    private void initialise(PostgresBinaries binaries) throws IOException {
        removeAbandoned("pg.tmp-");
        Path temp = home.path().resolve("pg.tmp-" + UUID.randomUUID());
        long logSize = logSize();
        // no password yet, and no server listening: secure() gives it one before anything can connect
        int exit = run(binaries.command("initdb", "-D", temp.toString(), "-U", SUPERUSER, "-A", "trust", "-E", "UTF-8"));
        if (exit != 0) {
            throw unavailable("could not create the embedded database in " + home.database() + " (initdb exit " + exit
                    + "): " + reason(logSize) + " — see " + home.databaseLog(), null);
        }
        secure(binaries, temp);
        Files.move(temp, home.database());
    }

    /**
     * Gives a data directory its password and requires it — in PostgreSQL's single-user mode, before
     * a server listens at all. A data directory made by an earlier version lets anyone on the machine
     * in as superuser with no password; a new one is made that way by initdb and secured here too.
     *
     * <p>The password is 192 random bits, so SCRAM's key stretching adds nothing to it; its 4,096
     * rounds would cost every new connection of every command a noticeable part of its start-up in a
     * JVM that has not warmed up yet, so the verifier is made with few.
     */
    private void secure(PostgresBinaries binaries, Path dataDirectory) throws IOException {
        Path passwordFile = dataDirectory.resolve(PASSWORD_FILE);
        if (!Files.exists(passwordFile)) {
            writePrivate(passwordFile, newPassword());
        }
        // hex digits only: nothing in the password needs quoting
        Path statement = home.path().resolve("db-secure.sql");
        writePrivate(statement, "set scram_iterations = 16\nalter role " + SUPERUSER + " password '"
                + Files.readString(passwordFile).trim() + "'\n");
        ProcessBuilder builder = new ProcessBuilder(binaries.command("postgres", "--single", "-D",
                dataDirectory.toString(), DATABASE))
                .directory(home.path().toFile())
                .redirectInput(statement.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD); // it would echo the password
        int exit = await(builder.start(), "postgres --single");
        Files.deleteIfExists(statement);
        if (exit != 0) {
            throw unavailable("could not give the embedded database in " + home.database()
                    + " a password (postgres --single exit " + exit + "); see " + home.databaseLog(), null);
        }
        writeHba(dataDirectory);
    }

    /**
     * A server that runs on a data directory nobody secured was started by an earlier version.
     * While that version's process still runs (it holds its {@code epg-lock}), leave it alone and
     * say so; once it is gone the server is an orphan: stop it, so it is started anew as ours.
     */
    private void stopEarlierVersion(Running running) throws IOException {
        Path lock = home.database().resolve("epg-lock");
        if (Files.exists(lock)) {
            try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE); FileLock free = tryExclusive(channel)) {
                if (free == null) {
                    throw unavailable("the database in " + home.database() + " is in use by an earlier version of "
                            + "contact-batch; let that run finish, then try again", null);
                }
            }
        }
        log("stopping the server an earlier version left running (pid " + running.pid() + ")");
        stopLocked(stopCommand());
    }

    /**
     * A {@code postmaster.pid} whose process is provably gone (no such process, a zombie, or a
     * process started at another time) would make PostgreSQL refuse to start, thinking it still
     * runs. Only then is it removed: a live postmaster's file is never touched.
     */
    private void removeStalePidFile() throws IOException {
        Path pidFile = home.database().resolve("postmaster.pid");
        if (Files.exists(pidFile) && running().isEmpty() && PostmasterProcess.provablyGone(pidFile)) {
            log("removing the stale " + pidFile + " of a server that is gone");
            Files.deleteIfExists(pidFile);
        }
    }

    private void removeAbandoned(String prefix) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(home.path(), prefix + "*")) {
            for (Path entry : entries) {
                FileSystemUtils.deleteRecursively(entry);
            }
        }
    }

    private static void writeHba(Path dataDirectory) throws IOException {
        Files.writeString(dataDirectory.resolve("pg_hba.conf"), HBA_MARKER + "\n"
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
                .directory(home.path().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.databaseLog().toFile()));
        builder.environment().put("LC_MESSAGES", "C");
        return await(builder.start(), command.get(command.size() - 1));
    }

    private static int await(Process process, String what) throws IOException {
        try {
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(what + " did not finish in 180 s");
            }
            return process.exitValue();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private long logSize() {
        try {
            return Files.exists(home.databaseLog()) ? Files.size(home.databaseLog()) : 0;
        }
        catch (IOException e) {
            return 0;
        }
    }

    /** What the log says went wrong since {@code offset}: its last FATAL, PANIC or ERROR line, else its last line. */
    private String reason(long offset) {
        try {
            byte[] all = Files.readAllBytes(home.databaseLog());
            String added = new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                    StandardCharsets.UTF_8);
            String last = "no message";
            String worst = null;
            for (String line : added.lines().map(String::trim).filter(l -> !l.isEmpty()).toList()) {
                last = line;
                if (line.contains("FATAL") || line.contains("PANIC") || line.contains("ERROR")) {
                    worst = line;
                }
            }
            return worst != null ? worst : last;
        }
        catch (IOException e) {
            return "no message";
        }
    }

    private void log(String line) {
        try {
            Files.writeString(home.databaseLog(), Instant.now() + " contact-batch: " + line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        catch (IOException e) {
            // the log is a convenience
        }
    }

    private static DatabaseUnavailableException unavailable(String message, Throwable cause) {
        return new DatabaseUnavailableException(message.lines().findFirst().orElse(message), cause);
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
