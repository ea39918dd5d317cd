package org.contactbatch.constantcontact.push;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.contactbatch.constantcontact.client.ApiException;
import org.contactbatch.constantcontact.client.ConstantContactClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Makes sure the lists and custom fields a push needs exist in the account, creating what is missing
 * (or, in a dry run, only saying what would be created). Names are matched as Constant Contact's UI
 * shows them, ignoring case; what was found is remembered in {@code cc_list} and {@code cc_custom_field}.
 */
@Service
public class AccountSetup {

    private static final Logger log = LoggerFactory.getLogger(AccountSetup.class);
    /** The id a list that a dry run would create gets in the plan. */
    public static final String NEW = "new:";

    private final ConstantContactClient client;
    private final JdbcClient jdbc;

    public AccountSetup(ConstantContactClient client, JdbcClient jdbc) {
        this.client = client;
        this.jdbc = jdbc;
    }

    /** List id by lowercased name, for each of {@code names}; a list the account refuses to create fails the call. */
    public Map<String, String> lists(Collection<String> names, boolean create) {
        return lists(names, List.of(), create, new LinkedHashMap<>());
    }

    /**
     * List id by lowercased name: for each of {@code required}, and for each of {@code optional} it could find
     * or create. An optional list the account refuses to create (a name it does not take, its 1,000 lists
     * reached) is left out and put in {@code refused} (name → the account's message); a required one fails.
     */
    public Map<String, String> lists(Collection<String> required, Collection<String> optional, boolean create,
            Map<String, String> refused) {
        Map<String, String> existing = new LinkedHashMap<>();
        for (JsonNode list : client.lists()) {
            existing.putIfAbsent(list.path("name").asString().toLowerCase(Locale.ROOT), list.path("list_id").asString());
        }
        Map<String, String> ids = new LinkedHashMap<>();
        find(required, existing, create, ids, null);
        find(optional, existing, create, ids, refused);
        return ids;
    }

    private void find(Collection<String> names, Map<String, String> existing, boolean create, Map<String, String> ids,
            Map<String, String> refused) {
        for (String name : names) {
            String key = name.trim().toLowerCase(Locale.ROOT);
            if (ids.containsKey(key)) {
                continue;
            }
            String id = existing.get(key);
            if (id == null && create) {
                try {
                    id = createList(name.trim());
                }
                catch (ApiException e) {
                    if (refused == null || e.status() != 400) {
                        throw e;
                    }
                    log.warn("Constant Contact refused the list '{}': {}", name.trim(), e.getMessage());
                    refused.put(name.trim(), e.getMessage());
                    continue;
                }
            }
            else if (id == null) {
                id = NEW + name.trim();
            }
            ids.put(key, id);
            if (!id.startsWith(NEW)) {
                rememberList(name.trim(), id);
            }
        }
    }

    private String createList(String name) {
        try {
            String id = client.createList(name).path("list_id").asString();
            log.info("Created the Constant Contact list '{}'", name);
            return id;
        }
        catch (ApiException e) {
            if (e.status() != 409) {
                throw e;
            }
            // made meanwhile (or the answer to a first try was lost): find it
            return client.lists().stream().filter(l -> l.path("name").asString().equalsIgnoreCase(name))
                    .map(l -> l.path("list_id").asString()).findFirst().orElseThrow(() -> e);
        }
    }

    /** Custom field name (what {@code cf:} columns use) by lowercased label, for each of {@code labels}. */
    public Map<String, String> customFields(Collection<String> labels, boolean create) {
        if (labels.isEmpty()) {
            return Map.of();
        }
        Map<String, JsonNode> existing = new LinkedHashMap<>();
        for (JsonNode field : client.customFields()) {
            existing.putIfAbsent(field.path("label").asString().toLowerCase(Locale.ROOT), field);
        }
        Map<String, String> names = new LinkedHashMap<>();
        for (String label : labels) {
            String key = label.trim().toLowerCase(Locale.ROOT);
            JsonNode field = existing.get(key);
            if (field == null && create) {
                field = createCustomField(label.trim());
            }
            if (field == null) {
                names.put(key, label.trim().replace(' ', '_'));
                continue;
            }
            names.put(key, field.path("name").asString());
            rememberField(label.trim(), field.path("custom_field_id").asString(), field.path("name").asString());
        }
        return names;
    }

    private JsonNode createCustomField(String label) {
        try {
            JsonNode field = client.createCustomField(label);
            log.info("Created the Constant Contact custom field '{}'", label);
            return field;
        }
        catch (ApiException e) {
            if (e.status() != 409) {
                throw e;
            }
            return client.customFields().stream().filter(f -> f.path("label").asString().equalsIgnoreCase(label))
                    .findFirst().orElseThrow(() -> e);
        }
    }

    private void rememberList(String name, String id) {
        jdbc.sql("""
                insert into cc_list (name, cc_list_id) values (:name, cast(:id as uuid))
                on conflict (lower(name)) do update set cc_list_id = excluded.cc_list_id, name = excluded.name""")
                .param("name", name).param("id", id).update();
    }

    private void rememberField(String label, String id, String ccName) {
        jdbc.sql("""
                insert into cc_custom_field (label, cc_custom_field_id, cc_name) values (:label, cast(:id as uuid), :ccName)
                on conflict (lower(label)) do update set cc_custom_field_id = excluded.cc_custom_field_id,
                    cc_name = excluded.cc_name, label = excluded.label""")
                .param("label", label).param("id", id).param("ccName", ccName).update();
    }

    /** The groups of the selected contacts that become lists. */
    public List<String> groups(PushOptions options, long runId) {
        if (options.groupLists().size() == 1 && options.groupLists().get(0).equalsIgnoreCase("none")) {
            return List.of();
        }
        PushSelection selection = PushSelection.of(options, runId);
        return selection.bind(jdbc.sql("select distinct trim(g) from contact c, unnest(c.groups) g where "
                        + selection.where() + " and trim(g) <> '' order by 1"))
                .query(String.class).list().stream().filter(options::groupBecomesList).toList();
    }
}
