package org.contactbatch.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.contactbatch.config.ContactBatchProperties;
import org.contactbatch.consent.ConsentRequests;
import org.contactbatch.contacts.ColumnMapping;
import org.contactbatch.contacts.ColumnTarget;
import org.contactbatch.contacts.ConsentState;
import org.contactbatch.contacts.ContactField;
import org.contactbatch.contacts.MappingFile;
import org.contactbatch.files.FileProblemException;
import org.contactbatch.jobs.JobRequest;
import org.contactbatch.jobs.JobRunner;
import org.contactbatch.upload.FullDryRuns;
import org.contactbatch.upload.OnExisting;
import org.contactbatch.upload.UploadOptions;
import org.contactbatch.upload.UploadPlan;
import org.contactbatch.upload.UploadService;
import org.contactbatch.upload.UploadTemplate;
import org.springframework.batch.core.job.Job;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Upload a file (admins): the file is kept under the uploads directory, the page shows the dry
 * run (how the columns map and the first rows as they would be stored), and "Run it" starts the
 * upload job and lands on its execution page. The options of the dry run wait in the session
 * under a random token, so the run takes no file path from the browser.
 */
@Controller
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@PreAuthorize("hasRole('ADMIN')")
public class UploadController {

    static final int PREVIEW_ROWS = 5;
    private static final String PENDING = UploadController.class.getName() + ".pending";
    private static final int PENDING_KEPT = 10;
    private static final String UPLOADED_BEFORE = "This file was uploaded before with the same options (this "
            + "execution): nothing was done now. To upload it once more, tick \"upload again\" in the dry run.";

    /** One previewed row: the contact as it would be stored, or why it would be rejected. */
    public record PreviewRow(long line, Map<String, Object> contact, List<String> rejected, List<String> warnings) {
    }

    /** One column and what it maps to. */
    public record PreviewColumn(String header, String target, String chosen, List<String> choices) {
    }

    private final UploadStore store;
    private final ContactBatchProperties properties;
    private final ConsoleJobs consoleJobs;
    private final Job upload;
    private final Job applyUpload;
    private final ConsentRequests consentRequests;
    private final UploadService uploads;

    public UploadController(WebProperties webProperties, ContactBatchProperties properties, ConsoleJobs consoleJobs,
            @Qualifier(UploadOptions.JOB_NAME) Job upload, @Qualifier(UploadOptions.APPLY_JOB) Job applyUpload,
            ConsentRequests consentRequests, UploadService uploads) {
        this.store = new UploadStore(webProperties.uploadsDir());
        this.uploads = uploads;
        this.properties = properties;
        this.consoleJobs = consoleJobs;
        this.upload = upload;
        this.applyUpload = applyUpload;
        this.consentRequests = consentRequests;
    }

    @GetMapping("/upload")
    public String form(Model model) {
        model.addAttribute("mappings", mappingNames());
        return "upload";
    }

    @PostMapping("/upload")
    public String preview(@RequestParam("file") MultipartFile file,
            @RequestParam(defaultValue = "false") boolean noHeader,
            @RequestParam(defaultValue = "") String sheet,
            @RequestParam(defaultValue = "") String delimiter,
            @RequestParam(defaultValue = "") String mapping,
            @RequestParam(defaultValue = "CUSTOM") ColumnMapping.Unmapped unmapped,
            @RequestParam(defaultValue = "") String consent,
            @RequestParam(defaultValue = "") String list,
            @RequestParam(defaultValue = "ERROR") OnExisting onExisting,
            @RequestParam(required = false) Long maxErrors,
            HttpSession session, Model model) throws IOException {
        model.addAttribute("mappings", mappingNames());
        if (file.isEmpty()) {
            model.addAttribute("problem", "Choose a file with at least a header and a row.");
            return "upload";
        }
        Path mappingFile = null;
        if (!mapping.isEmpty()) {
            if (!mappingNames().contains(mapping)) {
                model.addAttribute("problem", "There is no mapping '" + mapping + "'.");
                return "upload";
            }
            mappingFile = mappingsDir().resolve(mapping + ".yml").toAbsolutePath().normalize();
        }
        UploadStore.Stored stored;
        try (InputStream in = file.getInputStream()) {
            stored = store.save(in, file.getOriginalFilename());
        }
        UploadOptions options = new UploadOptions(stored.path(), stored.sha256(), !noHeader,
                sheet.isBlank() ? null : sheet.strip(), null, delimiter(delimiter), mappingFile, List.of(), unmapped,
                ConsentState.parse(consent).orElse(null), list.isBlank() ? null : list.strip(), onExisting,
                maxErrors == null || maxErrors < 0 ? Long.MAX_VALUE : maxErrors, ConsoleModel.who(), null,
                UploadOptions.REQUEST_CONSENT.equals(consent), null);
        return preview(options, mapping.isEmpty() ? null : mapping, session, model);
    }

    /**
     * The mapping step: the columns as chosen on the preview (a field, a custom field or ignore
     * each), previewed again; saved as {@code jobs/mappings/NAME.yml} when a name is given, so the
     * command line can use it too ({@code --mapping NAME}).
     */
    @PostMapping("/upload/mapping")
    public String remap(@RequestParam String token, @RequestParam("target") List<String> targets,
            @RequestParam(defaultValue = "") String saveAs, @RequestParam(defaultValue = "false") boolean save,
            HttpSession session, Model model,
            RedirectAttributes redirect) throws IOException {
        model.addAttribute("mappings", mappingNames());
        UploadOptions options = pending(session).get(token);
        if (options == null) {
            redirect.addFlashAttribute("problem", "That dry run is no longer known (the session ended?); upload the "
                    + "file again.");
            return "redirect:/upload";
        }
        List<String> header = UploadPlan.of(options).mapping().header();
        Map<String, ColumnTarget> columns = new LinkedHashMap<>();
        for (int i = 0; i < header.size() && i < targets.size(); i++) {
            try {
                columns.put(options.header() ? header.get(i) : Integer.toString(i + 1),
                        MappingFile.parseTarget(targets.get(i)));
            }
            catch (MappingFile.InvalidMappingException e) {
                model.addAttribute("problem", "Column '" + header.get(i) + "': " + e.getMessage());
                return preview(options, null, session, model);
            }
        }
        String name = save ? saveAs.strip() : "";
        if (save && name.isEmpty()) {
            model.addAttribute("problem", "Give the mapping a name to save it under.");
            return preview(options, null, session, model);
        }
        Path file;
        if (name.isEmpty()) {
            file = options.file().resolveSibling("column-mapping.yml");
        }
        else if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
            model.addAttribute("problem", "A mapping's name is letters, digits, - and _ (it becomes jobs/mappings/"
                    + "NAME.yml).");
            return preview(options, null, session, model);
        }
        else {
            file = mappingsDir().resolve(name + ".yml").toAbsolutePath().normalize();
            if (Files.exists(file)) {
                model.addAttribute("problem", "There is a mapping '" + name + "' already; choose another name.");
                return preview(options, null, session, model);
            }
        }
        new MappingFile(columns, options.unmapped()).write(file);
        if (!name.isEmpty()) {
            model.addAttribute("notice", "Saved as the mapping '" + name + "' (jobs/mappings/" + name + ".yml); the "
                    + "command line uses it with --mapping " + name + ".");
        }
        return preview(options.withMapping(file), name.isEmpty() ? "chosen on this page" : name, session, model);
    }

    private String preview(UploadOptions options, String mappingName, HttpSession session, Model model)
            throws IOException {
        UploadPlan plan;
        try {
            plan = UploadPlan.of(options);
        }
        catch (FileProblemException | MappingFile.InvalidMappingException e) {
            model.addAttribute("problem", e.getMessage());
            return "upload";
        }
        ColumnMapping columns = plan.mapping();
        List<PreviewColumn> shown = new ArrayList<>();
        for (int i = 0; i < columns.header().size(); i++) {
            ColumnTarget target = columns.targets().get(i);
            shown.add(new PreviewColumn(columns.header().get(i), target.describe(), target.mappingText(),
                    choices(columns.header().get(i), target)));
        }
        List<PreviewRow> rows;
        try {
            rows = firstRows(options, columns);
        }
        catch (FileProblemException e) {
            model.addAttribute("problem", e.getMessage());
            return "upload";
        }
        boolean reachable = columns.hasField(ContactField.EMAIL) || columns.hasField(ContactField.PHONE);
        String token = UUID.randomUUID().toString();
        pending(session).put(token, options);
        model.addAttribute("token", token);
        model.addAttribute("fileName", options.file().getFileName().toString());
        model.addAttribute("size", Formats.bytes(Files.size(options.file())));
        model.addAttribute("description", plan.file().describe());
        model.addAttribute("columns", shown);
        model.addAttribute("notes", columns.notes().stream().map(ColumnMapping.Note::message).toList());
        model.addAttribute("rows", rows);
        model.addAttribute("reachable", reachable);
        model.addAttribute("options", describe(options, mappingName));
        return "upload-preview";
    }

    /** What a column may go to, for its select box: every field, a custom field named after it, or nothing. */
    private static List<String> choices(String header, ColumnTarget current) {
        List<String> choices = new ArrayList<>();
        for (ContactField field : ContactField.values()) {
            choices.add(field.key());
        }
        String custom = current instanceof ColumnTarget.Custom named ? current.mappingText()
                : ColumnMapping.CUSTOM_PREFIX + ColumnMapping.customFieldName(header);
        choices.add(custom);
        choices.add("ignore");
        return choices;
    }

    @PostMapping("/upload/run")
    public String run(@RequestParam String token, @RequestParam(defaultValue = "false") boolean again,
            @RequestParam(defaultValue = "false") boolean full, HttpSession session, RedirectAttributes redirect) {
        UploadOptions options = pending(session).get(token);
        if (options == null) {
            redirect.addFlashAttribute("problem", "That dry run is no longer known (the session ended?); upload the "
                    + "file again.");
            return "redirect:/upload";
        }
        if (again) {
            options = options.again(Instant.now().toString());
        }
        UploadService.Start start = uploads.start(options, full);
        if (start.done()) {
            pending(session).remove(token);
            redirect.addFlashAttribute("notice", UPLOADED_BEFORE);
            return "redirect:/executions/" + start.uploadedBefore().getId();
        }
        try {
            ConsoleJobs.Started started = run(start.run());
            if (full) {
                // the same preview may still be uploaded for real after its full dry run
                redirect.addFlashAttribute("notice", "A full dry run: every row is staged and checked and the reports "
                        + "written, but no contact changes. When it has completed, apply it from this page.");
            }
            else {
                pending(session).remove(token);
            }
            if (started.outcome() == JobRunner.Outcome.ALREADY_COMPLETED) {
                redirect.addFlashAttribute("notice", UPLOADED_BEFORE);
            }
            else if (started.outcome() == JobRunner.Outcome.RESTARTED) {
                redirect.addFlashAttribute("notice", "This upload had been interrupted; it continues where it stopped.");
            }
            return "redirect:/executions/" + started.executionId();
        }
        catch (ConsoleJobs.NotStarted e) {
            redirect.addFlashAttribute("problem", e.getMessage());
            return "redirect:/upload";
        }
    }

    /** Runs an upload in the background; one that asks its contacts by email asks them once it completed. */
    private ConsoleJobs.Started run(JobRequest request) {
        Job job = switch (request.jobName()) {
            case UploadOptions.JOB_NAME -> upload;
            case UploadOptions.APPLY_JOB -> applyUpload;
            default -> throw new IllegalArgumentException("not an upload: " + request.jobName());
        };
        return UploadOptions.from(request.parameters()).asksConsent()
                ? consoleJobs.launch(job.getName(), () -> consentRequests.runThenAsk(job, request.parameters()))
                : consoleJobs.run(job, request.parameters());
    }

    /** The upload template, as the command line's {@code upload --template} writes it. */
    @GetMapping("/upload/template.csv")
    public void templateCsv(HttpServletResponse response) throws IOException {
        Path file = Files.createTempFile("contact-batch-template-", ".csv");
        try {
            UploadTemplate.write(file);
            send(response, "text/csv; charset=UTF-8", "contacts-template.csv");
            Files.copy(file, response.getOutputStream());
        }
        finally {
            Files.deleteIfExists(file);
        }
    }

    @GetMapping("/upload/template.xlsx")
    public void templateXlsx(HttpServletResponse response) throws IOException {
        send(response, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "contacts-template.xlsx");
        UploadTemplate.writeXlsx(response.getOutputStream());
    }

    private static void send(HttpServletResponse response, String type, String name) {
        response.setContentType(type);
        response.setHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
    }

    /** Applies a completed full dry run, as it was checked (the execution page offers it). */
    @PostMapping("/upload/{importId}/apply")
    public String apply(@PathVariable String importId, @RequestParam(required = false) Long from,
            RedirectAttributes redirect) {
        long id = Ids.parse(importId);
        try {
            JobRequest request = uploads.apply(id, ConsoleModel.who());
            ConsoleJobs.Started started = run(request);
            return "redirect:/executions/" + started.executionId();
        }
        catch (FullDryRuns.NotApplicable | ConsoleJobs.NotStarted e) {
            redirect.addFlashAttribute("problem", e.getMessage());
            // back to the dry run's page the button was on
            return from == null ? "redirect:/executions" : "redirect:/executions/" + from;
        }
    }

    private List<PreviewRow> firstRows(UploadOptions options, ColumnMapping mapping) {
        List<PreviewRow> rows = new ArrayList<>();
        for (UploadService.PreviewRow row : uploads.preview(options, mapping, PREVIEW_ROWS)) {
            rows.add(row.contact() == null
                    ? new PreviewRow(row.line(), Map.of(), row.rejected().stream()
                            .map(i -> i.code() + ": " + i.message()).toList(), List.of())
                    : new PreviewRow(row.line(), row.contact().asFields(), List.of(), row.contact().warnings()
                            .stream().map(w -> w.code() + ": " + w.message()).toList()));
        }
        return rows;
    }

    private static List<String> describe(UploadOptions options, String mapping) {
        List<String> lines = new ArrayList<>();
        lines.add("Header row: " + (options.header() ? "yes" : "no, the first row is data"));
        if (mapping != null) {
            lines.add("Mapping: " + mapping);
        }
        lines.add("Columns that match no field: " + (options.unmapped() == ColumnMapping.Unmapped.CUSTOM
                ? "kept as custom fields" : "ignored"));
        lines.add("Consent: " + options.describeConsent());
        if (options.list() != null) {
            lines.add("List: every uploaded contact joins '" + options.list() + "'");
        }
        lines.add("An email that exists already: " + switch (options.onExisting()) {
            case ERROR -> "the row is rejected";
            case SKIP -> "the row is left out, with a warning";
            case UPDATE -> "the contact is updated with the row's non-empty values";
        });
        if (options.maxErrors() != Long.MAX_VALUE) {
            lines.add("Fail, changing no contact, when more than " + options.maxErrors() + " rows are rejected");
        }
        return lines;
    }

    private static Character delimiter(String delimiter) {
        return switch (delimiter) {
            case "tab" -> '\t';
            case ",", ";", "|" -> delimiter.charAt(0);
            default -> null;
        };
    }

    private Path mappingsDir() {
        return properties.jobsDir().resolve("mappings");
    }

    /** The mapping files people keep under jobs/mappings, by name: the only ones the form may name. */
    private List<String> mappingNames() {
        Path dir = mappingsDir();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
        catch (IOException e) {
            return List.of();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, UploadOptions> pending(HttpSession session) {
        synchronized (session) {
            Map<String, UploadOptions> pending = (Map<String, UploadOptions>) session.getAttribute(PENDING);
            if (pending == null) {
                pending = java.util.Collections.synchronizedMap(new LinkedHashMap<>() {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, UploadOptions> eldest) {
                        return size() > PENDING_KEPT;
                    }
                });
                session.setAttribute(PENDING, pending);
            }
            return pending;
        }
    }
}
