package org.contactbatch.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.contactbatch.config.ContactBatchProperties;
import org.contactbatch.constantcontact.ConnectionStatus;
import org.contactbatch.constantcontact.auth.ConnectService;
import org.contactbatch.constantcontact.auth.DisconnectService;
import org.contactbatch.constantcontact.auth.Disconnection;
import org.contactbatch.constantcontact.auth.StoredTokens;
import org.contactbatch.constantcontact.push.PointInTime;
import org.contactbatch.constantcontact.push.PushLauncher;
import org.contactbatch.constantcontact.push.PushOptions;
import org.contactbatch.constantcontact.push.SyncProfile;
import org.contactbatch.contacts.IdsFile;
import org.contactbatch.jobs.JobRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.json.JsonMapper;

@Command(name = "cc", mixinStandardHelpOptions = true,
        description = {"Constant Contact: connect an account, push contacts to it, pull its changes back, audit it, disconnect.",
                "Settings under contact-batch.constant-contact (client id, secret, redirect URI, addresses); the "
                        + "token key comes from the environment (CONTACT_BATCH_CONSTANTCONTACT_TOKENKEY)."},
        subcommands = {CcCommand.Connect.class, CcCommand.Status.class, CcCommand.Push.class, CcCommand.Pull.class,
                CcCommand.Audit.class, CcCommand.Sync.class, CcCommand.Disconnect.class})
public class CcCommand implements Runnable {

    @ParentCommand
    private RootCommand root;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(root.context().out);
    }

    CliContext context() {
        return root.context();
    }

    @Command(name = "connect", mixinStandardHelpOptions = true,
            description = {"Connects a Constant Contact account (OAuth2, scopes from the settings).",
                    "By default: open the address shown in a browser on this machine; Constant Contact sends the "
                            + "browser back to the redirect URI (http://127.0.0.1:PORT/…), where this command listens.",
                    "With --device: open the address shown on any device and enter the code; for machines without a browser."})
    static class Connect implements Callable<Integer> {

        @ParentCommand
        private CcCommand parent;

        @Option(names = "--device", description = "use the device flow (enter a code on another device)")
        private boolean device;

        @Override
        public Integer call() {
            CliContext context = parent.context();
            ConnectService connect = context.bean(ConnectService.class);
            ConnectService.Connection connection;
            if (device) {
                connection = connect.connectWithDevice(authorization -> {
                    context.out.println("On any device, open " + authorization.verificationUri());
                    context.out.println("and enter the code: " + authorization.userCode());
                    if (authorization.verificationUriComplete() != null) {
                        context.out.println("(or open " + authorization.verificationUriComplete() + ")");
                    }
                    context.out.println("Waiting for the approval…");
                    context.out.flush();
                });
            }
            else {
                connection = connect.connectWithBrowser(uri -> {
                    context.out.println("Open this address in a browser on this machine and allow access:");
                    context.out.println("  " + uri);
                    context.out.println("Waiting for the browser to come back…");
                    context.out.flush();
                });
            }
            StoredTokens tokens = connection.tokens();
            context.out.println("Connected" + (tokens.account() == null ? "" : " as " + tokens.account())
                    + " to the account " + tokens.accountId()
                    + (connection.organization() == null ? "" : " (" + connection.organization() + ")")
                    + " (scopes: " + tokens.scope() + "); the access token is valid until " + tokens.accessExpiresAt()
                    + " and is refreshed automatically.");
            String account = connection.account().describe();
            if (account != null) {
                context.out.println(account);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Which account is connected and whether its tokens are healthy.",
                    "Exit code 0 when healthy, 1 when not (not connected, no refresh token, a failed refresh)."})
    static class Status implements Callable<Integer> {

        @ParentCommand
        private CcCommand parent;

        @Option(names = "--check", description = "also make one API call to prove the connection works")
        private boolean check;

        @Option(names = "--json", description = "print the status as one JSON object")
        private boolean json;

        @Override
        public Integer call() {
            CliContext context = parent.context();
            ConnectionStatus.Report report = context.bean(ConnectionStatus.class).report(check);
            if (json) {
                Map<String, Object> object = new LinkedHashMap<>();
                object.put("connected", report.connected());
                object.put("disconnected", report.disconnected());
                object.put("healthy", report.healthy());
                object.putAll(report.details());
                object.put("problems", report.problems());
                context.out.println(JsonMapper.shared().writeValueAsString(object));
            }
            else {
                context.out.println("Constant Contact: " + report.state());
                int width = report.details().keySet().stream().mapToInt(String::length).max().orElse(0);
                report.details().forEach((key, value) -> context.out.printf("  %-" + width + "s  %s%n", key, value));
                report.problems().forEach(problem -> context.out.println("  problem: " + problem));
            }
            return report.healthy() ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    @Command(name = "push", sortOptions = false, mixinStandardHelpOptions = true,
            description = {"Pushes the selected contacts to Constant Contact: they are added or updated, their groups "
                    + "become lists, the chosen fields custom fields; unsubscribes are pulled back first.",
                    "An exact run makes the managed list hold exactly the selection (contacts no longer selected are "
                            + "taken off it): a saved profile's whole selection (--profile without options that narrow "
                            + "it, and the scheduled runs), or --exact. Any other run is manual: it adds and updates the "
                            + "contacts it selects and takes nobody off any list.",
                    "Select with a saved profile (--profile, see jobs/nightly-sync.yml) and/or options; options change "
                            + "this run only, never the profile file.",
                    "Only contacts whose data changed since the last push are sent, in bulk imports. Interrupted? Give "
                            + "the same command again: it continues."})
    static class Push implements Callable<Integer>, JobCommand {

        @ParentCommand
        private CcCommand parent;

        @Option(names = "--profile", paramLabel = "NAME|FILE", description = "a saved profile: jobs/NAME.yml or a file")
        private String profile;

        @Option(names = "--managed-list", paramLabel = "NAME",
                description = "the list the selected contacts join (default: the profile's, else Active Members)")
        private String managedList;

        @Option(names = "--lifecycle-stage", split = ",", paramLabel = "STAGE", description = "select these lifecycle stages")
        private List<String> lifecycleStages;

        @Option(names = "--list", split = ",", paramLabel = "NAME", description = "select members of these lists here")
        private List<String> lists;

        @Option(names = "--tag", split = ",", paramLabel = "TAG", description = "select contacts with any of these tags")
        private List<String> tags;

        @Option(names = "--include-inactive", description = "select inactive contacts too")
        private Boolean includeInactive;

        @Option(names = "--consent", split = ",", paramLabel = "STATE",
                description = "consent states that are sent (default: confirmed,unconfirmed)")
        private List<String> consent;

        @Option(names = "--ids", paramLabel = "FILE",
                description = "only the contacts whose IDs this file lists, one per line (as export --ids)")
        private Path ids;

        @Option(names = "--updated-since", paramLabel = "DATE",
                description = "only contacts changed here since then: 2026-11-30, 2026-11-30T18:00 (this machine's zone) "
                        + "or 2026-11-30T18:00:00Z")
        private String updatedSince;

        @Option(names = "--exact", description = "make the managed list hold exactly this selection: contacts on it "
                + "that are not selected are taken off (not with --ids or --updated-since)")
        private boolean exact;

        @Option(names = "--group-lists", split = ",", paramLabel = "all|none|GROUP",
                description = "groups that become Constant Contact lists (default: all)")
        private List<String> groupLists;

        @Option(names = "--custom-field", paramLabel = "FIELD=LABEL",
                description = "send a field (or a custom field here) as this Constant Contact custom field; repeatable")
        private Map<String, String> customFields;

        @Option(names = "--dry-run", description = "write the plan (created, updated, removed, skipped); send nothing that changes the account")
        private boolean dryRun;

        @Mixin
        private OutputOptions output;

        @Override
        public Integer call() throws Exception {
            CliContext context = parent.context();
            if (exact && (ids != null || updatedSince != null)) {
                throw new UsageException("--exact makes the managed list hold exactly the selection; a selection by "
                        + (ids != null ? "--ids" : "--updated-since") + " is a part of it: run it without --exact");
            }
            PushOptions base = profile == null ? PushOptions.defaults()
                    : SyncProfile.find(context.bean(ContactBatchProperties.class).jobsDir(), profile).options();
            boolean narrowed = lifecycleStages != null || lists != null || tags != null || includeInactive != null
                    || consent != null || ids != null || updatedSince != null;
            Path idsFile = ids == null ? null : ids.toAbsolutePath().normalize();
            String idsSha256 = idsFile == null ? null : IdsFile.read(idsFile).sha256();
            PushOptions options = new PushOptions(base.profile(),
                    managedList != null ? managedList : base.managedList(),
                    lifecycleStages != null ? lifecycleStages : base.lifecycleStages(),
                    lists != null ? lists : base.lists(),
                    tags != null ? tags : base.tags(),
                    includeInactive != null ? includeInactive : base.includeInactive(),
                    consent != null ? consent : base.consent(),
                    groupLists != null ? groupLists : base.groupLists(),
                    customFields != null ? customFields : base.customFields(),
                    null, idsFile == null ? null : idsFile.toString(), idsSha256,
                    updatedSince == null ? null : since(updatedSince).toString(),
                    exact || profile != null && !narrowed, dryRun, base.debugLog(),
                    // custom fields given on the command line are pushed, as they always were
                    customFields != null ? null : base.fields());
            requireConnection(context);
            output.showProgress(context);
            JobRunner.Launch launch = context.bean(PushLauncher.class).push(options);
            return SummaryPrinter.report(context, launch, output.json);
        }

        /** A date (its start, in this machine's zone), a local date-time, or an instant. */
        static Instant since(String text) {
            return date("--updated-since", text);
        }
    }

    @Command(name = "pull", mixinStandardHelpOptions = true,
            description = {"Pulls from Constant Contact. With --profile: the contacts created, changed or deleted in the "
                    + "account since the profile's last pull come here (created with consent source \"Constant "
                    + "Contact\", updated in the fields the profile maps, deactivated when deleted there), who "
                    + "unsubscribed is marked, who subscribed again is unmarked. Nothing is written to the account.",
                    "Without --profile: only the unsubscribes, which are never sent again.",
                    "The first pull of a profile starts at its since: date (or --since). Interrupted? Give the same "
                            + "command again: it continues."})
    static class Pull implements Callable<Integer>, JobCommand {

        @ParentCommand
        private CcCommand parent;

        @Option(names = "--profile", paramLabel = "NAME|FILE", description = "a saved profile: jobs/NAME.yml or a file")
        private String profile;

        @Option(names = "--since", paramLabel = "DATE",
                description = "where the profile's first pull starts (instead of its since:): " + PointInTime.FORMS)
        private String since;

        @Mixin
        private OutputOptions output;

        @Override
        public Integer call() throws Exception {
            CliContext context = parent.context();
            if (profile == null) {
                if (since != null) {
                    throw new UsageException("--since is where a profile's first pull starts: give --profile too");
                }
                return SummaryPrinter.report(context, context.bean(PushLauncher.class).pull(), output.json);
            }
            SyncProfile saved = SyncProfile.find(context.bean(ContactBatchProperties.class).jobsDir(), profile);
            Instant start = since == null ? null : date("--since", since);
            requireConnection(context);
            output.showProgress(context);
            return SummaryPrinter.report(context, context.bean(PushLauncher.class).pull(
                    org.contactbatch.constantcontact.push.PullOptions.of(saved, start)), output.json);
        }
    }

    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = {"Runs a saved profile the way its direction: says: push (the default), pull, or both "
                    + "(the pull, then the push when the pull completed).",
                    "With --json and both: one object, the pull's summary with the push's under \"push\".",
                    "Interrupted? Give the same command again: it continues."})
    static class Sync implements Callable<Integer>, JobCommand {

        @ParentCommand
        private CcCommand parent;

        @Option(names = "--profile", required = true, paramLabel = "NAME|FILE",
                description = "a saved profile: jobs/NAME.yml or a file")
        private String profile;

        @Mixin
        private OutputOptions output;

        @Override
        public Integer call() throws Exception {
            CliContext context = parent.context();
            SyncProfile saved = SyncProfile.find(context.bean(ContactBatchProperties.class).jobsDir(), profile);
            requireConnection(context);
            output.showProgress(context);
            List<JobRunner.Launch> launches = context.bean(PushLauncher.class).sync(saved, null);
            if (launches.size() == 1) {
                return SummaryPrinter.report(context, launches.get(0), output.json);
            }
            // both: the pull's summary, with the push's under "push"
            JobRunner.Launch pulled = launches.get(0);
            return SummaryPrinter.reportBoth(context, SummaryPrinter.summarize(context, pulled), pulled.execution(),
                    "push", launches.get(1), output.json);
        }
    }

    /** A date given on the command line: a usage error, one line, when it is none of the forms. */
    static Instant date(String option, String text) {
        try {
            return PointInTime.parse(text);
        }
        catch (DateTimeParseException e) {
            throw new UsageException(option + " '" + text + "' is not a date: give " + PointInTime.FORMS);
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true,
            description = {"Reads the whole account and compares it with this database: who is on the managed list and "
                    + "should not be, who should be and is not, group lists, fields, unsubscribes there not known here, "
                    + "contacts there never sent from here. One line a difference in drift.csv; changes nothing.",
                    "Run it after the nightly push: after any push it finds no difference. Interrupted? Give the same "
                            + "command again: it continues."})
    static class Audit implements Callable<Integer>, JobCommand {

        @ParentCommand
        private CcCommand parent;

        @Option(names = "--profile", paramLabel = "NAME|FILE",
                description = "the saved profile whose selection the account should hold (default: Active Members, "
                        + "confirmed and unconfirmed, every group a list)")
        private String profile;

        @Option(names = "--json", description = "print the summary as one JSON object")
        private boolean json;

        @Override
        public Integer call() throws Exception {
            CliContext context = parent.context();
            PushOptions options = profile == null ? PushOptions.defaults()
                    : SyncProfile.find(context.bean(ContactBatchProperties.class).jobsDir(), profile).options();
            requireConnection(context);
            return SummaryPrinter.report(context, context.bean(PushLauncher.class).audit(options), json);
        }
    }

    @Command(name = "disconnect", mixinStandardHelpOptions = true,
            description = {"Disconnects the Constant Contact account: every scheduled profile stops syncing and cc push "
                    + "is refused until cc connect; the tokens are forgotten (removed from the database); the history "
                    + "(sync log, runs, reports) is kept.",
                    "The refresh token is revoked at the authorization server only where it offers revocation "
                            + "(contact-batch.constant-contact.revocation-uri); Constant Contact documents none, so by "
                            + "default the output says it was not revoked."})
    static class Disconnect implements Callable<Integer> {

        @ParentCommand
        private CcCommand parent;

        @Override
        public Integer call() {
            CliContext context = parent.context();
            DisconnectService.Outcome outcome = context.bean(DisconnectService.class)
                    .disconnect(System.getProperty("user.name") + " (command line)");
            if (!outcome.disconnected()) {
                context.out.println(outcome.disconnection().map(d -> "Already " + d.describe() + "; nothing to do.")
                        .orElse("No Constant Contact account is connected; nothing to disconnect."));
                return ExitCodes.OK;
            }
            Disconnection disconnection = outcome.disconnection().orElseThrow();
            context.out.println("Constant Contact: " + disconnection.describe() + ".");
            context.out.println("  refresh token  " + disconnection.revocation());
            context.out.println("  tokens         forgotten (removed from the database)");
            context.out.println("  schedules      " + scheduled(context) + "; cc push is refused until: cc connect");
            context.out.println("  history        kept: " + outcome.syncLogKept() + " sync log entries, their runs and reports");
            return ExitCodes.OK;
        }

        private static String scheduled(CliContext context) {
            try {
                List<String> names = SyncProfile.all(context.bean(ContactBatchProperties.class).jobsDir()).stream()
                        .filter(p -> p.schedule() != null).map(SyncProfile::name).toList();
                return names.isEmpty() ? "no profile is scheduled"
                        : "the scheduled profiles (" + String.join(", ", names) + ") stop syncing";
            }
            catch (RuntimeException e) {
                return "every scheduled profile stops syncing";
            }
        }
    }

    /** Before a job that needs the account: none connected is a one-line usage error, not a failed job to restart. */
    static void requireConnection(CliContext context) {
        context.bean(DisconnectService.class).requireConnected();
        if (context.bean(org.contactbatch.constantcontact.auth.TokenStore.class).load().isEmpty()) {
            throw new UsageException("no Constant Contact account is connected; connect one with: cc connect");
        }
    }
}
