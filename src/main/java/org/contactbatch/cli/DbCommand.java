package org.contactbatch.cli;

import java.sql.SQLException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.contactbatch.db.DataHome;
import org.contactbatch.db.EmbeddedServer;
import org.contactbatch.db.ServerWatch;
import org.springframework.boot.convert.DurationStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * The embedded database, by hand. None of these start the application: they work when it cannot
 * start, and they never count as a user of the database.
 */
@Command(name = "db", mixinStandardHelpOptions = true,
        description = {"The embedded PostgreSQL: one server in the data home for every contact-batch process of this user.",
                "It starts by itself when a command needs it and stops by itself when no process has used it for "
                        + "contact-batch.embedded.idle-stop (default 5m). Not used when SPRING_DATASOURCE_URL is set."},
        subcommands = {DbCommand.Status.class, DbCommand.Start.class, DbCommand.Stop.class, DbCommand.Watch.class})
public class DbCommand implements Runnable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @ParentCommand
    private RootCommand root;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(root.context().out);
    }

    /** {@code PT5M} as people say it: {@code 5m}. */
    static String words(Duration duration) {
        return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    EmbeddedServer server() {
        return new EmbeddedServer(DataHome.resolve(root.context()::setting));
    }

    CliContext context() {
        return root.context();
    }

    Duration idleStop() {
        return EmbeddedServer.idleStop(context()::setting);
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Where the data home and the database are, whether the server runs, and which processes use it.")
    static class Status implements Callable<Integer> {

        @ParentCommand
        private DbCommand parent;

        @Override
        public Integer call() throws Exception {
            CliContext context = parent.context();
            EmbeddedServer server = parent.server();
            DataHome home = server.home();
            context.out.println("data home   " + home.path());
            context.out.println("database    " + home.database());
            context.out.println("reports     " + home.reports());
            context.out.println("log         " + home.log());
            String url = context.setting("spring.datasource.url");
            if (url != null && !url.isBlank()) {
                context.out.println("in use      no: spring.datasource.url is set, commands use " + url);
            }
            Optional<EmbeddedServer.Running> running = server.running();
            if (running.isEmpty()) {
                context.out.println("server      not running (the next command that needs it starts it)");
                return ExitCodes.OK;
            }
            EmbeddedServer.Running r = running.get();
            context.out.println("server      running, pid " + r.pid() + ", 127.0.0.1:" + r.port() + ", since "
                    + TIME.format(r.since()) + (r.ready() ? "" : " (" + r.state() + ")"));
            context.out.println("stops       " + (server.keptRunning() ? "only on 'contact-batch db stop' (kept running by db start)"
                    : ServerWatch.watched(home) ? "when no process has used it for " + words(parent.idleStop())
                    : "when the next command starts its keeper (none runs now)"));
            List<EmbeddedServer.User> users;
            try {
                users = server.users(r);
            }
            catch (SQLException e) {
                context.out.println("used by     unknown: " + e.getMessage());
                return ExitCodes.OK;
            }
            if (users.isEmpty()) {
                context.out.println("used by     no process");
            }
            for (int i = 0; i < users.size(); i++) {
                EmbeddedServer.User user = users.get(i);
                context.out.printf("%-11s %s (%d connection%s, since %s)%n", i == 0 ? "used by" : "", user.name(),
                        user.connections(), user.connections() == 1 ? "" : "s", TIME.format(user.since()));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Starts the server if it is not running and keeps it running, used or not, until 'db stop'.")
    static class Start implements Callable<Integer> {

        @ParentCommand
        private DbCommand parent;

        @Override
        public Integer call() throws Exception {
            EmbeddedServer server = parent.server();
            EmbeddedServer.Running running = server.startAndKeep();
            parent.context().out.println("The embedded database runs on 127.0.0.1:" + running.port() + " (pid "
                    + running.pid() + "), data in " + server.home().database() + "; it keeps running until 'contact-batch db stop'.");
            return ExitCodes.OK;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = {"Stops the server now. Refused while a process uses it, unless --force: their open "
                    + "transactions roll back (a job then fails and can be restarted), nothing committed is lost."})
    static class Stop implements Callable<Integer> {

        @ParentCommand
        private DbCommand parent;

        @Option(names = "--force", description = "stop it even while processes use it")
        private boolean force;

        @Override
        public Integer call() throws Exception {
            EmbeddedServer server = parent.server();
            boolean stopped;
            try {
                stopped = server.stop(force);
            }
            catch (IllegalStateException inUse) {
                throw new UsageException(inUse.getMessage());
            }
            parent.context().out.println(stopped ? "The embedded database in " + server.home().database() + " is stopped."
                    : "The embedded database in " + server.home().database() + " was not running.");
            return ExitCodes.OK;
        }
    }

    @Command(name = "watch", hidden = true, description = "The server's keeper (started by the commands themselves).")
    static class Watch implements Callable<Integer> {

        @Option(names = "--home", required = true)
        private String home;

        @Option(names = "--idle-stop", required = true)
        private String idleStop;

        @Override
        public Integer call() throws Exception {
            try {
                ServerWatch.watch(DataHome.resolve(name -> DataHome.PROPERTY.equals(name) ? home : null),
                        DurationStyle.detectAndParse(idleStop), System.out);
            }
            catch (Throwable e) {
                System.out.println(java.time.Instant.now() + " contact-batch: the database keeper failed: " + e);
                e.printStackTrace(System.out);
            }
            // straight out: after days of running, the jar may have been replaced, and picocli's own
            // ending would load classes from it
            Runtime.getRuntime().halt(0);
            return ExitCodes.OK;
        }
    }
}
