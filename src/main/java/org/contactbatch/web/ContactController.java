package org.contactbatch.web;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.contactbatch.contacts.ConsentState;
import org.contactbatch.contacts.ContactField;
import org.contactbatch.contacts.ContactLookups;
import org.contactbatch.contacts.ContactSelections;
import org.contactbatch.contacts.LifecycleStage;
import org.contactbatch.upload.HandEnteredContacts;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** One contact: added by hand, shown, edited, deactivated and reactivated (admins change, reviewers read). */
@Controller
@ConditionalOnWebApplication
public class ContactController {

    /** The form's fields in the order shown, with their labels. */
    static final Map<ContactField, String> LABELS = new LinkedHashMap<>();

    static {
        LABELS.put(ContactField.EMAIL, "Email");
        LABELS.put(ContactField.PHONE, "Phone");
        LABELS.put(ContactField.FIRST_NAME, "First name");
        LABELS.put(ContactField.LAST_NAME, "Last name");
        LABELS.put(ContactField.COMPANY, "Company");
        LABELS.put(ContactField.JOB_TITLE, "Job title");
        LABELS.put(ContactField.STREET, "Street");
        LABELS.put(ContactField.CITY, "City");
        LABELS.put(ContactField.REGION, "Region");
        LABELS.put(ContactField.POSTAL_CODE, "Postal code");
        LABELS.put(ContactField.COUNTRY, "Country");
        LABELS.put(ContactField.LIFECYCLE_STAGE, "Lifecycle stage");
        LABELS.put(ContactField.OWNER, "Owner");
        LABELS.put(ContactField.LEGAL, "Legal");
        LABELS.put(ContactField.GROUPS, "Groups");
        LABELS.put(ContactField.TAGS, "Tags");
    }

    /** One field of the form: its key (the request parameter), label and value. */
    public record Field(String key, String label, String value) {
    }

    private final HandEnteredContacts contacts;
    private final ContactSelections selections;
    private final ContactLookups lookups;

    public ContactController(HandEnteredContacts contacts, ContactSelections selections, ContactLookups lookups) {
        this.contacts = contacts;
        this.selections = selections;
        this.lookups = lookups;
    }

    @GetMapping("/contacts/new")
    @PreAuthorize("hasRole('ADMIN')")
    public String blank(Model model) {
        return form(model, null, Map.of());
    }

    @PostMapping("/contacts/new")
    @PreAuthorize("hasRole('ADMIN')")
    public String add(@RequestParam Map<String, String> params,
            @RequestParam(name = "list", required = false) List<Long> lists, Model model, RedirectAttributes redirect) {
        HandEnteredContacts.Outcome outcome = contacts.add(form(params), lists == null ? List.of() : lists,
                ConsoleModel.who());
        if (!outcome.saved()) {
            model.addAttribute("issues", outcome.problems());
            return form(model, null, params);
        }
        saved(redirect, "Added contact " + outcome.id() + ".", outcome);
        return "redirect:/contacts/" + outcome.id();
    }

    @GetMapping("/contacts/{id}")
    public String show(@PathVariable String id, Model model) {
        return form(model, contact(Ids.parse(id)), Map.of());
    }

    @PostMapping("/contacts/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    public String edit(@PathVariable String id, @RequestParam Map<String, String> params, @RequestParam int version,
            Model model, RedirectAttributes redirect) {
        Map<String, Object> contact = contact(Ids.parse(id));
        HandEnteredContacts.Outcome outcome = contacts.edit(Ids.parse(id), version, form(params), ConsoleModel.who());
        if (!outcome.saved()) {
            model.addAttribute("issues", outcome.problems());
            return form(model, contact, params);
        }
        saved(redirect, "Saved.", outcome);
        return "redirect:/contacts/" + id;
    }

    @PostMapping("/contacts/{id}/{change:deactivate|reactivate}")
    @PreAuthorize("hasRole('ADMIN')")
    public String activation(@PathVariable String id, @PathVariable String change, RedirectAttributes redirect) {
        long contact = ((Number) contact(Ids.parse(id)).get("id")).longValue();
        ContactSelections.Selection one = ContactSelections.Selection.of(List.of(contact));
        if (change.equals("deactivate")) {
            selections.deactivate(one);
            redirect.addFlashAttribute("notice", "Deactivated: the contact stays here, out of every list and every "
                    + "push, until reactivated.");
        }
        else {
            selections.reactivate(one);
            redirect.addFlashAttribute("notice", "Reactivated, back on the lists it left.");
        }
        return "redirect:/contacts/" + contact;
    }

    private static void saved(RedirectAttributes redirect, String what, HandEnteredContacts.Outcome outcome) {
        redirect.addFlashAttribute("notice", what + (outcome.warnings().isEmpty() ? "" : " Note: " + String.join("; ",
                outcome.warnings().stream().map(w -> w.message()).toList()) + "."));
    }

    /** The page: the contact's fields (or the values just posted, when they were refused), lists, consent. */
    private String form(Model model, Map<String, Object> contact, Map<String, String> posted) {
        List<Field> fields = LABELS.entrySet().stream().map(e -> {
            String key = e.getKey().key();
            String value = posted.containsKey(key) ? posted.get(key) : contact == null ? null : shown(contact.get(key));
            return new Field(key, e.getValue(), value);
        }).toList();
        model.addAttribute("contact", contact);
        model.addAttribute("title", contact == null ? "New contact" : "Contact " + contact.get("id"));
        model.addAttribute("fields", fields);
        model.addAttribute("stages", LifecycleStage.allowedValues());
        model.addAttribute("consent", posted.getOrDefault("consent", ""));
        model.addAttribute("allLists", lookups.lists(500));
        if (contact != null) {
            model.addAttribute("lists", lookups.listsOf(((Number) contact.get("id")).longValue()));
        }
        return "contact";
    }

    private static String shown(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof java.sql.Array array) {
            try {
                return String.join("; ", (String[]) array.getArray());
            }
            catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        if (value instanceof Boolean yes) {
            return yes ? "yes" : "no";
        }
        return value.toString();
    }

    private static HandEnteredContacts.Form form(Map<String, String> params) {
        Map<ContactField, String> values = new EnumMap<>(ContactField.class);
        LABELS.keySet().forEach(field -> values.put(field, params.get(field.key())));
        String consent = params.getOrDefault("consent", "");
        return new HandEnteredContacts.Form(values, ConsentState.parse(consent).orElse(null));
    }

    private Map<String, Object> contact(long id) {
        return lookups.contact(id).orElseThrow(NotFound::new);
    }
}
