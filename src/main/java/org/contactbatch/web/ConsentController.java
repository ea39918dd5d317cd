package org.contactbatch.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.contactbatch.consent.ConsentAnswers;
import org.contactbatch.consent.ConsentProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The two public pages the consent emails link to, without a login: opening a link shows the question with
 * its button (so a link scanner that opens it answers nothing); the button POSTs the token, and the person
 * sees a plain page saying what happened (or that the link is not valid, expired or used: then nothing changed).
 */
@Controller
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class ConsentController {

    private final ConsentAnswers answers;
    private final ConsentProperties properties;

    ConsentController(ConsentAnswers answers, ConsentProperties properties) {
        this.answers = answers;
        this.properties = properties;
    }

    /** Opening a link changes nothing (mail scanners open every link): the page asks, its button answers. */
    @GetMapping({"/consent/confirm", "/consent/decline"})
    String ask(@RequestParam(name = "t", defaultValue = "") String token, HttpServletRequest request, Model model,
            HttpServletResponse response) {
        ConsentAnswers.Outcome outcome = answers.check(token);
        if (outcome != ConsentAnswers.Outcome.OPEN) {
            return answered(outcome, model, response);
        }
        boolean confirm = request.getRequestURI().endsWith("/confirm");
        model.addAttribute("organisation", properties.organisation());
        model.addAttribute("reason", properties.reason());
        model.addAttribute("token", token);
        model.addAttribute("confirm", confirm);
        return "consent-question";
    }

    @PostMapping("/consent/confirm")
    String confirm(@RequestParam(name = "t", defaultValue = "") String token, Model model, HttpServletResponse response) {
        return answered(answers.answer(token, true), model, response);
    }

    @PostMapping("/consent/decline")
    String decline(@RequestParam(name = "t", defaultValue = "") String token, Model model, HttpServletResponse response) {
        return answered(answers.answer(token, false), model, response);
    }

    private String answered(ConsentAnswers.Outcome outcome, Model model, HttpServletResponse response) {
        String organisation = properties.organisation();
        String[] page = switch (outcome) {
            case CONFIRMED -> new String[] {"Thank you", "You agreed that " + organisation + " may email you. "
                    + "You can unsubscribe at any time from any of our emails."};
            case DECLINED -> new String[] {"Understood", organisation + " will not email you, and will not ask again."};
            case EXPIRED -> new String[] {"This link has expired", "Nothing was changed. If you would like to hear from "
                    + organisation + ", please get in touch with us."};
            case USED -> new String[] {"This link was already used", "Your answer was recorded before; nothing was "
                    + "changed now."};
            case INVALID, OPEN -> new String[] {"This link is not valid", "Nothing was changed. Please open the link "
                    + "exactly as it is in the email."};
        };
        response.setStatus(switch (outcome) {
            case CONFIRMED, DECLINED -> HttpServletResponse.SC_OK;
            case EXPIRED, USED -> HttpServletResponse.SC_GONE;
            case INVALID, OPEN -> HttpServletResponse.SC_BAD_REQUEST;
        });
        model.addAttribute("outcome", outcome.name());
        model.addAttribute("title", page[0]);
        model.addAttribute("text", page[1]);
        model.addAttribute("organisation", organisation);
        return "consent-answer";
    }
}
