package org.contactbatch.web;

import java.util.Optional;

import org.contactbatch.constantcontact.ConnectionStatus;
import org.contactbatch.constantcontact.auth.DisconnectService;
import org.contactbatch.constantcontact.auth.Disconnection;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The Constant Contact page's Disconnect button, for admins: a page that asks first (scheduled syncs stop,
 * history is kept), then the POST that does what {@code cc disconnect} does.
 */
@Controller
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class DisconnectController {

    private final DisconnectService disconnects;
    private final ConnectionStatus status;

    DisconnectController(DisconnectService disconnects, ConnectionStatus status) {
        this.disconnects = disconnects;
        this.status = status;
    }

    @GetMapping("/constant-contact/disconnect")
    @PreAuthorize("hasRole('ADMIN')")
    String confirm(Model model, RedirectAttributes redirect) {
        ConnectionStatus.Report report;
        try {
            report = status.report(false);
        }
        catch (RuntimeException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
            return "redirect:/constant-contact";
        }
        if (!report.connected()) {
            redirect.addFlashAttribute("problem", nothingToDisconnect(disconnects.disconnection()));
            return "redirect:/constant-contact";
        }
        Object account = report.details().getOrDefault("accountId", report.details().get("account"));
        model.addAttribute("account", account == null ? "the connected account" : account.toString());
        return "constant-contact-disconnect";
    }

    @PostMapping("/constant-contact/disconnect")
    @PreAuthorize("hasRole('ADMIN')")
    String disconnect(RedirectAttributes redirect) {
        DisconnectService.Outcome outcome = disconnects.disconnect(ConsoleModel.who() + " (console)");
        if (!outcome.disconnected()) {
            redirect.addFlashAttribute("problem", nothingToDisconnect(outcome.disconnection()));
            return "redirect:/constant-contact";
        }
        Disconnection disconnection = outcome.disconnection().orElseThrow();
        redirect.addFlashAttribute("notice", "Constant Contact " + disconnection.describe() + ". Refresh token: "
                + disconnection.revocation() + ". Scheduled syncs stop until cc connect; the history is kept.");
        return "redirect:/constant-contact";
    }

    /** Asked again (or in another tab): already disconnected says when and by whom, never connected says so. */
    private static String nothingToDisconnect(Optional<Disconnection> disconnection) {
        return disconnection.map(d -> "Already " + d.describe() + "; there is nothing to disconnect.")
                .orElse("No Constant Contact account is connected; there is nothing to disconnect.");
    }
}
