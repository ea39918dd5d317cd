package org.contactbatch.web;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.contactbatch.export.ExportHistory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every page needs to know: who is logged in and whether they may change things. */
@ControllerAdvice
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ConsoleModel {

    /** The session's last export execution it was told about. */
    private static final String EXPORTS_SEEN = ConsoleModel.class.getName() + ".exportsSeenUpTo";

    private final ExportHistory exports;

    public ConsoleModel(ExportHistory exports) {
        this.exports = exports;
    }

    /**
     * The exports this person asked for that have completed since they were last told, on whatever page they
     * open next ("Your export of 12,345 contacts is ready"). Only on pages (GET): a form post redirects, and
     * its model is never shown.
     */
    @ModelAttribute("exportsReady")
    public List<ExportHistory.Export> exportsReady(HttpServletRequest request, HttpSession session) {
        String user = user();
        if (user == null || !"GET".equals(request.getMethod())) {
            return List.of();
        }
        Long seen = (Long) session.getAttribute(EXPORTS_SEEN);
        if (seen == null) {
            session.setAttribute(EXPORTS_SEEN, exports.latestExecution());
            return List.of();
        }
        List<ExportHistory.Export> ready = exports.completedAfter(user, seen);
        if (!ready.isEmpty()) {
            session.setAttribute(EXPORTS_SEEN, ready.get(ready.size() - 1).executionId());
        }
        return ready;
    }

    @ModelAttribute("user")
    public String user() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null || !authentication.isAuthenticated() ? null : authentication.getName();
    }

    @ModelAttribute("admin")
    public boolean admin() {
        return isAdmin();
    }

    @ModelAttribute("fmt")
    public Formats.View formats() {
        return Formats.VIEW;
    }

    static boolean isAdmin() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getAuthorities().stream()
                .anyMatch(a -> a.getAuthority().equals("ROLE_" + WebProperties.Role.ADMIN.name()));
    }

    /** Who does something from the console: recorded as the job's {@code by} parameter. */
    static String who() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null ? "console" : authentication.getName();
    }
}
