package org.contactbatch.web;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.contactbatch.config.ContactBatchProperties;
import org.contactbatch.constantcontact.auth.TokenStore;
import org.contactbatch.constantcontact.push.PushLauncher;
import org.contactbatch.constantcontact.push.PushOptions;
import org.contactbatch.constantcontact.push.SyncProfile;
import org.contactbatch.contacts.ContactFilters;
import org.contactbatch.contacts.ContactLookups;
import org.contactbatch.contacts.ContactSelections;
import org.contactbatch.contacts.ContactSelections.After;
import org.contactbatch.contacts.ContactSelections.Order;
import org.contactbatch.contacts.ContactSelections.Query;
import org.contactbatch.contacts.ContactSelections.Selection;
import org.contactbatch.contacts.LifecycleStage;
import org.contactbatch.export.ExportFormat;
import org.contactbatch.export.ExportOptions;
import org.contactbatch.files.FileHashes;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The contacts page: search and the export's filters, a page at a time in the order of the last change, and for
 * admins what to do with the contacts ticked or with all that match — export them, add them to a list, tag,
 * deactivate or reactivate them.
 */
@Controller
@ConditionalOnWebApplication
public class ContactsController {

    static final int PAGE_SIZE = 50;

    /** The profile a push from the contacts page uses when the admin names none. */
    static final String DEFAULT_PROFILE = "nightly-sync";

    /** The search form's fields, as the page's links and the selection's hidden fields carry them. */
    public record Search(String q, String list, String stage, String owner, String tag, String group, String consent,
            String active, String updatedSince, String order) {

        /** The query string of this search, for links back to it. */
        public String queryString() {
            UriComponentsBuilder uri = UriComponentsBuilder.newInstance();
            Map.of("q", nz(q), "list", nz(list), "stage", nz(stage), "owner", nz(owner), "tag", nz(tag),
                    "group", nz(group), "consent", nz(consent), "active", nz(active), "updatedSince", nz(updatedSince),
                    "order", nz(order)).entrySet().stream().filter(e -> !e.getValue().isBlank())
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e -> uri.queryParam(e.getKey(), e.getValue()));
            return uri.encode().build().getQuery() == null ? "" : uri.encode().build().getQuery();
        }

        Query query() {
            return new Query(q, new ContactFilters(blank(list),
                    blank(stage) == null ? null : ContactFilters.stage(stage), blank(owner), blank(tag), blank(group),
                    blank(consent) == null ? null : ContactFilters.consent(consent),
                    blank(active) == null ? null : ContactFilters.active(active),
                    blank(updatedSince) == null ? null : ContactFilters.since(updatedSince, ZoneId.systemDefault()),
                    false));
        }

        Order sort() {
            return "oldest".equals(order) ? Order.OLDEST : Order.NEWEST;
        }

        private static String nz(String value) {
            return value == null ? "" : value;
        }

        private static String blank(String value) {
            return value == null || value.isBlank() ? null : value.strip();
        }
    }

    private final ContactSelections selections;
    private final ContactLookups lookups;
    private final ConsoleJobs consoleJobs;
    private final Job export;
    private final Path exportsDir;
    private final ContactBatchProperties properties;
    private final PushLauncher launcher;
    private final TokenStore tokens;

    public ContactsController(ContactSelections selections, ContactLookups lookups, ConsoleJobs consoleJobs,
            @Qualifier(ExportOptions.JOB_NAME) Job export,
            @Value("${contact-batch.exports-dir:exports}") Path exportsDir, ContactBatchProperties properties,
            PushLauncher launcher, TokenStore tokens) {
        this.properties = properties;
        this.launcher = launcher;
        this.tokens = tokens;
        this.selections = selections;
        this.lookups = lookups;
        this.consoleJobs = consoleJobs;
        this.export = export;
        this.exportsDir = exportsDir;
    }

    @ModelAttribute("search")
    public Search search(@RequestParam(defaultValue = "") String q, @RequestParam(defaultValue = "") String list,
            @RequestParam(defaultValue = "") String stage, @RequestParam(defaultValue = "") String owner,
            @RequestParam(defaultValue = "") String tag, @RequestParam(defaultValue = "") String group,
            @RequestParam(defaultValue = "") String consent, @RequestParam(defaultValue = "") String active,
            @RequestParam(defaultValue = "") String updatedSince, @RequestParam(defaultValue = "") String order) {
        return new Search(q, list, stage, owner, tag, group, consent, active, updatedSince, order);
    }

    @GetMapping("/contacts")
    public String list(@ModelAttribute("search") Search search, @RequestParam(defaultValue = "") String after,
            Model model) {
        model.addAttribute("lists", lookups.listNames(500));
        model.addAttribute("stages", LifecycleStage.allowedValues());
        Query query;
        try {
            query = search.query();
        }
        catch (IllegalArgumentException e) {
            model.addAttribute("problem", e.getMessage().replaceFirst("^--[a-z-]+ ", ""));
            model.addAttribute("rows", List.of());
            return "contacts";
        }
        ContactSelections.Page page = selections.page(query, search.sort(), After.parse(after).orElse(null), PAGE_SIZE);
        model.addAttribute("rows", page.rows());
        model.addAttribute("next", page.next() == null ? null : page.next().token());
        model.addAttribute("first", after.isBlank());
        model.addAttribute("total", query.isEmpty() ? selections.estimatedTotal().orElse(null) : null);
        return "contacts";
    }

    /** What an admin does to the ticked contacts or to all that match the search. */
    @PostMapping("/contacts/selection")
    @PreAuthorize("hasRole('ADMIN')")
    public String act(@ModelAttribute("search") Search search, @RequestParam String action,
            @RequestParam(defaultValue = "selected") String scope, @RequestParam(name = "id", required = false)
            List<Long> ids, @RequestParam(defaultValue = "") String value, RedirectAttributes redirect) {
        String back = "redirect:/contacts" + (search.queryString().isEmpty() ? "" : "?" + search.queryString());
        Selection selection;
        try {
            selection = scope.equals("matching") ? Selection.matching(search.query())
                    : Selection.of(ids == null ? List.of() : ids);
        }
        catch (IllegalArgumentException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
            return back;
        }
        if (selection.ids() != null && selection.ids().isEmpty()) {
            redirect.addFlashAttribute("problem", "Tick the contacts first, or choose all that match.");
            return back;
        }
        String name = value.strip();
        switch (action) {
            case "export-csv", "export-xlsx" -> {
                return export(selection, action.equals("export-xlsx") ? ExportFormat.XLSX : ExportFormat.CSV, redirect,
                        back);
            }
            case "push" -> {
                return push(selection, name.isEmpty() ? DEFAULT_PROFILE : name, redirect, back);
            }
            case "add-to-list", "add-tag" -> {
                if (name.isEmpty()) {
                    redirect.addFlashAttribute("problem", action.equals("add-tag") ? "Name the tag to add."
                            : "Name the list to add them to.");
                    return back;
                }
                long changed = action.equals("add-tag") ? selections.addTag(selection, name)
                        : selections.addToList(selection, name);
                redirect.addFlashAttribute("notice", action.equals("add-tag")
                        ? "Tagged " + Formats.count(changed) + " contacts '" + name + "' (those that had it keep it once)."
                        : "Added " + Formats.count(changed) + " contacts to the list '" + name
                                + "' (inactive ones and members already in it are left as they are).");
            }
            case "deactivate" -> redirect.addFlashAttribute("notice", "Deactivated " + Formats.count(
                    selections.deactivate(selection)) + " contacts: they stay here, out of every list and every push, "
                    + "until reactivated.");
            case "reactivate" -> redirect.addFlashAttribute("notice", "Reactivated " + Formats.count(
                    selections.reactivate(selection)) + " contacts, back on the lists they left.");
            default -> redirect.addFlashAttribute("problem", "There is no action '" + action + "'.");
        }
        return back;
    }

    /**
     * A manual push of the selection with a profile's lists, fields and consent rule: it adds and updates those
     * contacts in Constant Contact and takes nobody off any list.
     */
    private String push(Selection selection, String profileName, RedirectAttributes redirect, String back) {
        if (tokens.load().isEmpty()) {
            redirect.addFlashAttribute("problem", "No Constant Contact account is connected; connect one with: "
                    + "contact-batch cc connect");
            return back;
        }
        SyncProfile profile;
        try {
            profile = SyncProfile.find(properties.jobsDir(), profileName);
        }
        catch (RuntimeException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
            return back;
        }
        Path ids = idsFile();
        long count = selections.writeIds(selection, ids);
        if (count == 0) {
            redirect.addFlashAttribute("problem", "No contact matches: there is nothing to push.");
            return back;
        }
        PushOptions options = profile.options().forIds(ids.toString(), FileHashes.sha256(ids));
        try {
            return "redirect:/executions/" + consoleJobs.launch(PushOptions.JOB_NAME, () -> launcher.push(options))
                    .executionId();
        }
        catch (ConsoleJobs.NotStarted e) {
            redirect.addFlashAttribute("problem", e.getMessage());
            return back;
        }
    }

    private Path idsFile() {
        return exportsDir.resolve("selections").resolve(UUID.randomUUID() + ".ids").toAbsolutePath().normalize();
    }

    private String export(Selection selection, ExportFormat format, RedirectAttributes redirect, String back) {
        Path ids = idsFile();
        long count = selections.writeIds(selection, ids);
        if (count == 0) {
            redirect.addFlashAttribute("problem", "No contact matches: there is nothing to export.");
            return back;
        }
        ContactFilters byIds = new ContactFilters(null, null, null, null, null, null, null, null, true);
        ExportOptions options = new ExportOptions(format, null, List.of(), ',', true, false, byIds, ids,
                FileHashes.sha256(ids), Instant.now().toString());
        try {
            ConsoleJobs.Started started = consoleJobs.run(export, new JobParametersBuilder(options.toJobParameters())
                    .addString("by", ConsoleModel.who(), false).toJobParameters());
            redirect.addFlashAttribute("notice", "Exporting " + Formats.count(count) + " contacts; the file is listed "
                    + "under Reports when it is done.");
            return "redirect:/executions/" + started.executionId();
        }
        catch (ConsoleJobs.NotStarted e) {
            redirect.addFlashAttribute("problem", e.getMessage());
            return back;
        }
    }
}
