package org.contactbatch.web;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.contactbatch.config.ContactBatchProperties;
import org.contactbatch.constantcontact.push.PushLauncher;
import org.contactbatch.constantcontact.push.PushOptions;
import org.contactbatch.constantcontact.push.SyncLog;
import org.contactbatch.constantcontact.push.SyncProfile;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.dao.DataAccessException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The saved Constant Contact profiles under {@code jobs/}: what they select, when they run next, their last run. */
@Controller
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ProfilesController {

    private static final DateTimeFormatter NEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z");
    private static final DateTimeFormatter LAST = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /** One profile as the page shows it. */
    public record Profile(String name, String file, String managedList, String selection, String schedule,
            String nextRun, Long lastExecution, String lastStatus, String lastStarted) {
    }

    private final ContactBatchProperties properties;
    private final SyncLog syncLog;
    private final ConsoleJobs consoleJobs;
    private final PushLauncher launcher;

    public ProfilesController(ContactBatchProperties properties, SyncLog syncLog, ConsoleJobs consoleJobs,
            PushLauncher launcher) {
        this.properties = properties;
        this.syncLog = syncLog;
        this.consoleJobs = consoleJobs;
        this.launcher = launcher;
    }

    @GetMapping("/profiles")
    public String list(Model model) {
        List<Profile> profiles = new ArrayList<>();
        try {
            for (SyncProfile profile : SyncProfile.all(properties.jobsDir())) {
                profiles.add(view(profile));
            }
        }
        catch (RuntimeException e) {
            model.addAttribute("problem", e.getMessage());
        }
        model.addAttribute("profiles", profiles);
        model.addAttribute("jobsDir", properties.jobsDir().toAbsolutePath().normalize().toString());
        return "profiles";
    }

    @PostMapping("/profiles/{name}/run")
    @PreAuthorize("hasRole('ADMIN')")
    public String run(@PathVariable String name, RedirectAttributes redirect) {
        SyncProfile profile;
        try {
            profile = SyncProfile.all(properties.jobsDir()).stream()
                    .filter(p -> p.name().equals(name)).findFirst().orElse(null);
        }
        catch (RuntimeException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
            return "redirect:/profiles";
        }
        if (profile == null) {
            throw new NotFound();
        }
        PushOptions options = profile.options();
        try {
            // as the scheduler runs it: one run of a profile at a time across processes, an unfinished one continued
            return "redirect:/executions/" + consoleJobs.launch(PushOptions.JOB_NAME, () -> launcher.push(options))
                    .executionId();
        }
        catch (ConsoleJobs.NotStarted e) {
            redirect.addFlashAttribute("problem", e.getMessage());
            return "redirect:/profiles";
        }
    }

    private Profile view(SyncProfile profile) {
        PushOptions options = profile.options();
        List<String> selection = new ArrayList<>();
        if (!options.lifecycleStages().isEmpty()) {
            selection.add("stages " + String.join(", ", options.lifecycleStages()));
        }
        if (!options.lists().isEmpty()) {
            selection.add("lists " + String.join(", ", options.lists()));
        }
        if (!options.tags().isEmpty()) {
            selection.add("tags " + String.join(", ", options.tags()));
        }
        selection.add("consent " + String.join(", ", options.consent()));
        if (options.includeInactive()) {
            selection.add("inactive too");
        }
        String schedule = profile.schedule() == null ? null : profile.schedule() + " (" + profile.zone() + ")";
        ZonedDateTime next = profile.schedule() == null ? null : profile.schedule().next(ZonedDateTime.now(profile.zone()));
        Long lastExecution = null;
        String lastStatus = null;
        String lastStarted = null;
        try {
            SyncLog.LastRun last = syncLog.lastRun(profile.name()).orElse(null);
            if (last != null) {
                lastExecution = last.executionId();
                lastStatus = last.status();
                lastStarted = LAST.format(last.started());
            }
        }
        catch (DataAccessException e) {
            // the sync log comes with the Constant Contact push; without it there is no last run to show
        }
        return new Profile(profile.name(), profile.file().getFileName().toString(), options.managedList(),
                String.join("; ", selection), schedule, next == null ? null : NEXT.format(next), lastExecution,
                lastStatus, lastStarted);
    }
}
