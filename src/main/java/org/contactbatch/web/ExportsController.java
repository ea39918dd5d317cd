package org.contactbatch.web;

import org.contactbatch.export.ExportHistory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Every export: who asked, when, which contacts, how many rows, and the file. */
@Controller
@ConditionalOnWebApplication
public class ExportsController {

    private final ExportHistory history;

    public ExportsController(ExportHistory history) {
        this.history = history;
    }

    @GetMapping("/exports")
    public String list(Model model) {
        var exports = history.recent(100);
        model.addAttribute("exports", exports);
        model.addAttribute("refresh", exports.stream().anyMatch(ExportHistory.Export::running));
        return "exports";
    }
}
