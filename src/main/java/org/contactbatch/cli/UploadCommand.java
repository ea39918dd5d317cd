package org.contactbatch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.contactbatch.config.ContactBatchProperties;
import org.contactbatch.consent.ConsentRequests;
import org.contactbatch.constantcontact.push.UploadSync;
import org.contactbatch.contacts.ColumnMapping;
import org.contactbatch.contacts.ColumnMapping.Unmapped;
import org.contactbatch.contacts.ConsentState;
import org.contactbatch.contacts.ContactField;
import org.contactbatch.files.FileHashes;
import org.contactbatch.jobs.JobRequest;
import org.contactbatch.jobs.JobRunner;
import org.contactbatch.jobs.JobSummary;
import org.contactbatch.upload.OnExisting;
import org.contactbatch.upload.UploadOptions;
import org.contactbatch.upload.UploadPlan;
import org.contactbatch.upload.UploadService;
import org.contactbatch.upload.UploadTemplate;
import org.springframework.batch.core.BatchStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

@Command(name = "upload", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Adds the contacts of a CSV, TSV/TXT, XLSX or XLS file.",
                "Columns map to contact fields by their headers (forgiving case, punctuation and common synonyms) "
                        + "or by a mapping file. Rows that break a rule are left out and listed, with the reason, in "
                        + "a failed-rows report you can fix and upload again as it is.",
                "Interrupted? Give the same command again (or 'jobs restart ID'): it continues where it stopped."})
public class UploadCommand implements Callable<Integer>, JobCommand {

    /** The options --apply goes with: the rest are the dry run's. */
    private static final Set<String> WITH_APPLY = Set.of("--apply", "--by", "--json", "--no-progress",
            "--sync-constant-contact", "--sync-profile");

    private static final String CONSENT_WITH_PUSH = "--consent request and --sync-constant-contact don't go together: "
            + "the contacts stay pending until they confirm, and no push sends a pending contact; push them later with "
            + "cc push";

    @ParentCommand
    private RootCommand root;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..1", description = "the contacts file (none with --apply or --template)")
    private Path file;

    @Option(names = "--dry-run", description = "show how the columns map and the first rows as they would be stored; "
            + "change nothing")
    private boolean dryRun;

    @Option(names = "--full", description = "with --dry-run: stage and check the whole file and write the reports and "
            + "counts the real upload would, changing no contact; then apply that with --apply")
    private boolean full;

    @Option(names = "--apply", paramLabel = "IMPORT",
            description = "apply the full dry run with this import id as it was checked (refused if the file or the "
                    + "contacts changed since in a way that changes the outcome)")
    private Long apply;

    @Option(names = "--template", paramLabel = "FILE.csv|FILE.xlsx",
            description = "write a file to fill in and upload: every field as a column, an example row, and in the "
                    + "workbook a sheet explaining each column")
    private Path template;

    @Option(names = "--no-header", description = "the first row is data; name the columns with --columns or a mapping")
    private boolean noHeader;

    @Option(names = "--columns", split = ",", paramLabel = "FIELD",
            description = "fields of the columns by position, e.g. email,first_name,last_name (custom:NAME, ignore)")
    private List<String> columns = new ArrayList<>();

    @Mixin
    private FileReadOptions read;

    @Option(names = "--mapping", paramLabel = "NAME|FILE",
            description = "a column mapping: a YAML file, or NAME for jobs/mappings/NAME.yml")
    private String mapping;

    @Option(names = "--unmapped", paramLabel = "custom|ignore", defaultValue = "custom",
            description = "columns that match no field become custom fields or are ignored (default: ${DEFAULT-VALUE})")
    private Unmapped unmapped;

    @Option(names = "--consent", paramLabel = "STATE|request",
            description = "consent for rows without a consent column: confirmed, unconfirmed, pending or opted_out; "
                    + "or request: store them pending and ask each one by email (default: none recorded)")
    private String consent;

    @Option(names = "--list", paramLabel = "NAME", description = "add every uploaded contact to this list (created when missing)")
    private String list;

    @Option(names = "--on-existing", paramLabel = "error|skip|update", defaultValue = "error",
            description = "a row whose email already exists: fails (error), is left out (skip) or updates the contact "
                    + "(update) (default: ${DEFAULT-VALUE})")
    private OnExisting onExisting;

    @Option(names = "--max-errors", paramLabel = "N",
            description = "fail, changing no contact, when more than N rows are rejected (default: no limit)")
    private Long maxErrors;

    @Mixin
    private ByOption who;

    @Option(names = "--again", description = "upload a file that was uploaded before with the same options once more")
    private boolean again;

    @Option(names = "--sync-constant-contact", description = "then push the uploaded contacts to Constant Contact, "
            + "with the lists and fields of a profile; those without an email stay here, reported as not synced")
    private boolean syncConstantContact;

    @Option(names = "--sync-profile", paramLabel = "NAME|FILE",
            description = "the profile --sync-constant-contact uses (default: jobs/nightly-sync.yml)")
    private String syncProfile;

    @Mixin
    private OutputOptions output;

    @Override
    public Integer call() throws Exception {
        if (template != null) {
            if (file != null || apply != null || dryRun) {
                throw new UsageException("--template takes no FILE: it writes the template to the file it names");
            }
            UploadTemplate.write(template);
            boolean workbook = template.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".xlsx");
            root.context().out.println("Wrote " + template + ": " + UploadTemplate.columns().size()
                    + " columns and an example row" + (workbook ? ", and a sheet explaining each column" : "")
                    + ". Fill it in and upload it: contact-batch upload " + template);
            return ExitCodes.OK;
        }
        if (apply != null) {
            List<String> others = spec.commandLine().getParseResult().matchedOptions().stream()
                    .map(OptionSpec::longestName).filter(name -> !WITH_APPLY.contains(name)).toList();
            if (file != null || !others.isEmpty()) {
                throw new UsageException("--apply takes no FILE" + (others.isEmpty() ? "" : " and no " + String.join(", ",
                        others)) + ": it applies what the full dry run " + apply + " checked, with its file and options");
            }
            return applyFullDryRun(root.context());
        }
        if (file == null) {
            throw new UsageException("give the FILE to upload (or --apply IMPORT to apply a full dry run)");
        }
        if (full && !dryRun) {
            throw new UsageException("--full goes with --dry-run (upload FILE --dry-run --full)");
        }
        if (full && syncConstantContact) {
            throw new UsageException("a dry run sends nothing: give --sync-constant-contact to --apply instead");
        }
        CliContext context = root.context();
        UploadOptions options = options(context);
        if (options.requestConsent() && syncConstantContact) {
            throw new UsageException(CONSENT_WITH_PUSH);
        }
        UploadPlan plan = UploadPlan.of(options);
        requireReachableColumns(plan.mapping());
        if (dryRun && !full) {
            dryRun(context, options, plan);
            return ExitCodes.OK;
        }
        UploadService.Start start = context.bean(UploadService.class).start(options, full);
        if (start.done()) {
            // uploaded before by applying a dry run of it: the same upload, done
            return report(context, new JobRunner.Launch(start.uploadedBefore(), JobRunner.Outcome.ALREADY_COMPLETED));
        }
        return launch(context, start.run());
    }

    private int applyFullDryRun(CliContext context) throws Exception {
        JobRequest request = context.bean(UploadService.class).apply(apply, who.by);
        if (UploadOptions.from(request.parameters()).requestConsent() && syncConstantContact) {
            throw new UsageException(CONSENT_WITH_PUSH);
        }
        return launch(context, request);
    }

    private int launch(CliContext context, JobRequest request) throws Exception {
        output.showProgress(context);
        return report(context, context.run(request));
    }

    private int report(CliContext context, JobRunner.Launch launch) throws Exception {
        boolean json = output.json;
        var summary = SummaryPrinter.summarize(context, launch);
        // an upload, or the apply of a full dry run, that asks its contacts by email (a dry run asks nobody)
        UploadOptions options = UploadOptions.from(launch.execution().getJobParameters());
        if (options.asksConsent()) {
            return SummaryPrinter.reportUpload(context, summary,
                    context.bean(ConsentRequests.class).uploadThenAsk(launch, options), json);
        }
        if (syncConstantContact) {
            return thenPush(context, summary, launch);
        }
        boolean completedDryRun = full && !json && launch.execution().getStatus() == BatchStatus.COMPLETED;
        if (completedDryRun) {
            context.out.println("Full dry run: no contact was changed; below is what the upload will do.");
        }
        int code = SummaryPrinter.report(summary, launch.execution(), json, context);
        if (completedDryRun) {
            context.out.println("Apply exactly this with: contact-batch upload --apply " + summary.importId());
        }
        return code;
    }

    /**
     * {@code --sync-constant-contact}: pushes what the upload created or updated and prints both summaries (with
     * {@code --json}, the upload's object with the push's under {@code constantContact}).
     */
    private int thenPush(CliContext context, JobSummary upload, JobRunner.Launch uploaded) throws Exception {
        if (!"COMPLETED".equals(upload.status())) {
            return SummaryPrinter.report(upload, uploaded.execution(), output.json, context);
        }
        JobRunner.Launch pushed = context.bean(UploadSync.class)
                .push(upload.importId(), syncProfile == null || syncProfile.isBlank() ? null : syncProfile);
        return SummaryPrinter.reportBoth(context, upload, uploaded.execution(), "constantContact", pushed, output.json);
    }

    private UploadOptions options(CliContext context) throws IOException {
        Path path = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new UsageException(file + ": no such file");
        }
        if (!Files.isReadable(path)) {
            throw new UsageException(file + ": not readable (permission denied)");
        }
        Path mappingFile = null;
        if (mapping != null) {
            Path direct = Path.of(mapping);
            mappingFile = Files.isRegularFile(direct) ? direct
                    : context.bean(ContactBatchProperties.class).jobsDir().resolve("mappings").resolve(mapping + ".yml");
            if (!Files.isRegularFile(mappingFile)) {
                throw new UsageException("mapping '" + mapping + "' not found (looked for " + direct + " and "
                        + mappingFile + ")");
            }
            mappingFile = mappingFile.toAbsolutePath().normalize();
        }
        return new UploadOptions(path, FileHashes.sha256(path), !noHeader, read.sheet, read.encoding, read.delimiter(),
                mappingFile, columns, unmapped, consentState(), list, onExisting,
                maxErrors == null ? Long.MAX_VALUE : maxErrors, who.by, again ? Instant.now().toString() : null,
                UploadOptions.REQUEST_CONSENT.equals(consent), null);
    }

    private ConsentState consentState() {
        if (consent == null || UploadOptions.REQUEST_CONSENT.equals(consent)) {
            return null;
        }
        return ConsentState.parse(consent).orElseThrow(() -> new UsageException("--consent must be one of confirmed, "
                + "unconfirmed, pending, opted_out, request (got '" + consent + "')"));
    }

    /** A file none of whose columns is an email or a phone can't give a single contact: say so up front. */
    private void requireReachableColumns(ColumnMapping mapping) {
        if (!mapping.hasField(ContactField.EMAIL) && !mapping.hasField(ContactField.PHONE)) {
            throw new UsageException(file.getFileName() + ": no column maps to email or phone (columns: "
                    + String.join(", ", mapping.header()) + "); name them with --mapping or --columns");
        }
    }

    private void dryRun(CliContext context, UploadOptions options, UploadPlan plan) {
        ColumnMapping mapping = plan.mapping();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (UploadService.PreviewRow row : context.bean(UploadService.class).preview(options, mapping, 5)) {
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("line", row.line());
            if (row.contact() != null) {
                shown.put("contact", row.contact().asFields());
                row.contact().warnings().forEach(w -> shown.put("warning", w.code() + ": " + w.message()));
            }
            else {
                shown.put("rejected", row.rejected().stream().map(i -> i.code() + ": " + i.message()).toList());
            }
            rows.add(shown);
        }
        if (output.json) {
            Map<String, Object> plan1 = new LinkedHashMap<>();
            plan1.put("file", plan.file().describe());
            Map<String, String> columnsShown = new LinkedHashMap<>();
            for (int i = 0; i < mapping.header().size(); i++) {
                columnsShown.put(mapping.header().get(i), mapping.targets().get(i).describe());
            }
            plan1.put("columns", columnsShown);
            plan1.put("notes", mapping.notes().stream().map(ColumnMapping.Note::message).toList());
            plan1.put("rows", rows);
            context.out.println(JsonMapper.shared().writeValueAsString(plan1));
            return;
        }
        var out = context.out;
        out.println("Dry run of " + file.getFileName() + ": " + plan.file().describe());
        out.println("Columns:");
        int width = mapping.header().stream().mapToInt(String::length).max().orElse(0);
        for (int i = 0; i < mapping.header().size(); i++) {
            out.printf("  %-" + width + "s -> %s%n", mapping.header().get(i), mapping.targets().get(i).describe());
        }
        mapping.notes().forEach(note -> out.println("  warning: " + note.message()));
        out.println("Consent: " + options.describeConsent() + (options.list() == null ? "" : "; list: " + options.list())
                + "; existing emails: " + options.onExisting().name().toLowerCase());
        out.println("First rows as they would be stored:");
        for (Map<String, Object> row : rows) {
            out.println("  line " + row.get("line") + ": " + (row.containsKey("rejected")
                    ? "REJECTED " + row.get("rejected") : row.get("contact"))
                    + (row.containsKey("warning") ? "  (warning " + row.get("warning") + ")" : ""));
        }
        out.println("Dry run: nothing was written.");
    }
}
