package org.contactbatch.cli;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import javax.sql.DataSource;

import org.contactbatch.config.ContactBatchProperties;
import org.contactbatch.consent.ConsentTokens;
import org.contactbatch.constantcontact.ConstantContactProperties;
import org.contactbatch.constantcontact.push.PushLauncher;
import org.contactbatch.constantcontact.push.SyncProfile;
import org.contactbatch.constantcontact.schedule.ProfileScheduler;
import org.contactbatch.web.WebConsole;
import org.springframework.core.env.Environment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"The long-running mode: runs each saved profile that has a schedule (jobs/*.yml) on its cron.",
                "It also serves the web console on contact-batch.web.port (users: contact-batch.web.users).",
                "Run it in as many instances as you like on one database: a profile runs in one of them at a time.",
                "Stops on Ctrl-C or SIGTERM; a run in progress is finished first (or continued by the next one)."})
public class ServeCommand implements Callable<Integer> {

    @ParentCommand
    private RootCommand root;

    @Option(names = "--jobs-dir", paramLabel = "DIR", description = "where the profiles are (default: contact-batch.jobs-dir)")
    private Path jobsDir;

    @Option(names = "--for", paramLabel = "DURATION", description = "stop after this long, e.g. PT1H (default: until stopped)")
    private Duration runFor;

    @Override
    public Integer call() throws Exception {
        CliContext context = root.context();
        // serve also runs the web console: its context starts as a servlet web app on contact-batch.web.port
        ContactBatchProperties settings = WebConsole.startingAsWebApplication(() -> context.bean(ContactBatchProperties.class));
        String console = WebConsole.address(context.bean(Environment.class));
        // the console answers the consent links: a key it can't use would make every link "not valid"
        context.bean(ConsentTokens.class).requireKey();
        Path dir = jobsDir != null ? jobsDir : settings.jobsDir();
        ProfileScheduler scheduler = new ProfileScheduler(context.bean(DataSource.class), context.bean(PushLauncher.class),
                context.bean(ConstantContactProperties.class), instanceName());
        List<SyncProfile> profiles = scheduler.start(dir);
        if (console != null) {
            context.out.println("Web console on " + console);
        }
        if (profiles.isEmpty() && console == null) {
            scheduler.stop();
            throw new UsageException("no profile in " + dir.toAbsolutePath() + " has a schedule; add one like "
                    + "schedule: \"0 30 2 * * *\" to a profile (see jobs/nightly-sync.yml)");
        }
        context.out.println("Serving " + profiles.size() + " scheduled profile" + (profiles.size() == 1 ? "" : "s") + ":");
        for (SyncProfile profile : profiles) {
            context.out.printf("  %-20s %-16s %s  next: %s%n", profile.name(), profile.schedule(), profile.zone(),
                    ProfileScheduler.nextRun(profile).map(Object::toString).orElse("-"));
        }
        context.out.flush();
        Thread hook = new Thread(scheduler::stop, "serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (runFor != null) {
                Thread.sleep(runFor.toMillis());
                scheduler.stop();
            }
            scheduler.awaitStop();
        }
        finally {
            scheduler.stop();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
        context.out.println("Stopped after " + scheduler.runs() + " run(s).");
        return ExitCodes.OK;
    }

    private static String instanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        }
        catch (Exception e) {
            host = "localhost";
        }
        return host + "/" + ManagementFactory.getRuntimeMXBean().getName();
    }
}
