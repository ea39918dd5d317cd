package org.contactbatch.web;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every page needs to know: who is logged in and whether they may change things. */
@ControllerAdvice
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ConsoleModel {

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
