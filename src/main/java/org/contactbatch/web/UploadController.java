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

import jakarta.servlet.http.HttpSession;
import org.contactbatch.config.ContactBatchProperties;
import org.contactbatch.consent.ConsentRequests;
import org.contactbatch.contacts.ColumnMapping;
import org.contactbatch.contacts.ConsentState;
import org.contactbatch.contacts.ContactField;
import org.contactbatch.contacts.MappingFile;
import org.contactbatch.files.FileProblemException;
import org.contactbatch.files.RawRow;
import org.contactbatch.files.RowSource;
import org.contactbatch.files.TabularFiles;
import org.contactbatch.jobs.JobRunner;
import org.contactbatch.upload.OnExisting;
import org.contactbatch.upload.RowRejectedException;
import org.contactbatch.upload.StagedContact;
import org.contactbatch.upload.UploadOptions;
import org.contactbatch.upload.UploadPlan;
import org.contactbatch.upload.UploadRowProcessor;
import org.springframework.batch.core.job.Job;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
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

    /** One previewed row: the contact as it would be stored, or why it would be rejected. */
    public record PreviewRow(long line, Map<String, Object> contact, List<String> rejected, List<String> warnings) {
    }

    /** One column and what it maps to. */
    public record PreviewColumn(String header, String target) {
    }

    private final UploadStore store;
    private final ContactBatchProperties properties;
    private final ConsoleJobs consoleJobs;
    private final Job upload;
    private final ConsentRequests consentRequests;

    public UploadController(WebProperties webProperties, ContactBatchProperties properties, ConsoleJobs consoleJobs,
            @Qualifier(UploadOptions.JOB_NAME) Job upload, ConsentRequests consentRequests) {
        this.store = new UploadStore(webProperties.uploadsDir());
        this.properties = properties;
        this.consoleJobs = consoleJobs;
        this.upload = upload;
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
                UploadOptions.REQUEST_CONSENT.equals(consent));
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
            shown.add(new PreviewColumn(columns.header().get(i), columns.targets().get(i).describe()));
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
        model.addAttribute("fileName", stored.path().getFileName().toString());
        model.addAttribute("size", Formats.bytes(stored.bytes()));
        model.addAttribute("description", plan.file().describe());
        model.addAttribute("columns", shown);
        model.addAttribute("notes", columns.notes().stream().map(ColumnMapping.Note::message).toList());
        model.addAttribute("rows", rows);
        model.addAttribute("reachable", reachable);
        model.addAttribute("options", describe(options, mapping));
        return "upload-preview";
    }

    @PostMapping("/upload/run")
    public String run(@RequestParam String token, @RequestParam(defaultValue = "false") boolean again,
            HttpSession session, RedirectAttributes redirect) {
        UploadOptions options = pending(session).get(token);
        if (options == null) {
            redirect.addFlashAttribute("problem", "That dry run is no longer known (the session ended?); upload the "
                    + "file again.");
            return "redirect:/upload";
        }
        if (again) {
            options = options.again(Instant.now().toString());
        }
        try {
            UploadOptions chosen = options;
            ConsoleJobs.Started started = options.requestConsent()
                    ? consoleJobs.launch(upload.getName(), () -> consentRequests.uploadThenAsk(upload, chosen))
                    : consoleJobs.run(upload, options.toJobParameters());
            pending(session).remove(token);
            if (started.outcome() == JobRunner.Outcome.ALREADY_COMPLETED) {
                redirect.addFlashAttribute("notice", "This file was uploaded before with the same options (this "
                        + "execution): nothing was done now. To upload it once more, tick \"upload again\" in the "
                        + "dry run.");
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

    private List<PreviewRow> firstRows(UploadOptions options, ColumnMapping mapping) {
        UploadRowProcessor processor = new UploadRowProcessor(mapping, options.consent(),
                properties.defaultPhoneRegion());
        List<PreviewRow> rows = new ArrayList<>();
        try (RowSource source = TabularFiles.open(options.file(), options.readOptions())) {
            for (RawRow row; rows.size() < PREVIEW_ROWS && (row = source.next()) != null; ) {
                try {
                    StagedContact contact = processor.process(row);
                    rows.add(new PreviewRow(row.line(), contact.asFields(), List.of(),
                            contact.warnings().stream().map(w -> w.code() + ": " + w.message()).toList()));
                }
                catch (RowRejectedException rejected) {
                    rows.add(new PreviewRow(row.line(), Map.of(),
                            rejected.issues().stream().map(i -> i.code() + ": " + i.message()).toList(), List.of()));
                }
            }
        }
        return rows;
    }

    private static List<String> describe(UploadOptions options, String mapping) {
        List<String> lines = new ArrayList<>();
        lines.add("Header row: " + (options.header() ? "yes" : "no, the first row is data"));
        if (!mapping.isEmpty()) {
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
