package org.contactbatch.constantcontact.push;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies a chunk of the pull's decisions here, in the chunk's transaction. Each contact's decision is recorded
 * first ({@code cc_pull_item}, one row per contact and run): a decision already recorded was applied, by this
 * attempt or one a kill cut short, and is not applied again.
 */
public class PullItemWriter implements ItemWriter<PullItem> {

    private final JdbcClient jdbc;
    private final long runId;

    public PullItemWriter(JdbcClient jdbc, long runId) {
        this.jdbc = jdbc;
        this.runId = runId;
    }

    @Override
    public void write(Chunk<? extends PullItem> chunk) {
        for (PullItem item : chunk) {
            int recorded = jdbc.sql("""
                    insert into cc_pull_item (run_id, cc_contact_id, contact_id, email, name, action, resubscribed, code, reason)
                    values (:run, cast(:cc as uuid), :contact, :email, :name, :action, :resubscribed, :code, :reason)
                    on conflict do nothing""")
                    .param("run", runId).param("cc", item.ccContactId()).param("contact", item.contactId())
                    .param("email", item.email()).param("name", item.name())
                    .param("action", String.valueOf(item.action().code)).param("resubscribed", item.resubscribed())
                    .param("code", item.code()).param("reason", item.reason()).update();
            if (recorded == 0) {
                continue;
            }
            for (PullItem.Conflict conflict : item.conflicts()) {
                jdbc.sql("""
                        insert into cc_pull_conflict (run_id, cc_contact_id, contact_id, email, field, value_here, value_there, won)
                        values (:run, cast(:cc as uuid), :contact, :email, :field, :here, :there, :won)
                        on conflict do nothing""")
                        .param("run", runId).param("cc", item.ccContactId()).param("contact", item.contactId())
                        .param("email", item.email()).param("field", conflict.field()).param("here", conflict.here())
                        .param("there", conflict.there()).param("won", conflict.thereWon() ? "Constant Contact" : "here")
                        .update();
            }
            switch (item.action()) {
                case CREATE -> jdbc.sql("update cc_pull_item set contact_id = :contact where run_id = :run and cc_contact_id = cast(:cc as uuid)")
                        .param("contact", create(item)).param("run", runId).param("cc", item.ccContactId()).update();
                case UPDATE, UNCHANGED -> update(item);
                case DEACTIVATE -> deactivate(item);
                default -> {
                }
            }
        }
    }

    private Long create(PullItem item) {
        Map<String, Object> columns = new LinkedHashMap<>();
        Map<String, Object> custom = new LinkedHashMap<>();
        split(item.set(), columns, custom);
        columns.put("custom_fields", JsonMapper.shared().writeValueAsString(custom));
        columns.put("consent_source", "Constant Contact");
        columns.put("cc_contact_id", item.ccContactId());
        columns.put("cc_email", item.email() == null ? null : item.email().toLowerCase(java.util.Locale.ROOT));
        columns.put("cc_pulled", item.pulled());
        columns.put("cc_pulled_at", Instant.now());
        List<String> names = new ArrayList<>(columns.keySet());
        String sql = "insert into contact (" + String.join(", ", names) + ") values ("
                + String.join(", ", names.stream().map(PullItemWriter::placeholder).toList()) + ") returning id";
        var statement = jdbc.sql(sql);
        for (String name : names) {
            statement = statement.param(name, parameter(columns.get(name)));
        }
        return statement.query(Long.class).single();
    }

    private void update(PullItem item) {
        Map<String, Object> columns = new LinkedHashMap<>();
        Map<String, Object> custom = new LinkedHashMap<>();
        split(item.set(), columns, custom);
        List<String> assignments = new ArrayList<>();
        columns.keySet().forEach(name -> assignments.add(name + " = " + placeholder(name)));
        List<String> cleared = custom.entrySet().stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey).toList();
        Map<String, Object> written = new LinkedHashMap<>(custom);
        written.values().removeIf(java.util.Objects::isNull);
        if (!custom.isEmpty()) {
            assignments.add("custom_fields = (custom_fields || cast(:customSet as jsonb)) - cast(:customCleared as text[])");
        }
        if (item.action() == PullItem.Action.UPDATE) {
            assignments.add("version = version + 1");
            assignments.add("updated_at = now()");
        }
        if (item.resubscribed()) {
            // the account took the person off every list at the unsubscribe: the next push sends them again
            assignments.add("cc_unsubscribed = false");
            assignments.add("cc_hash = null");
        }
        if (columns.containsKey("email")) {
            // the account holds it under the new address now: the push must not take it for a change made here
            assignments.add("cc_email = lower(trim(:email))");
        }
        assignments.add("cc_contact_id = cast(:cc as uuid)");
        assignments.add("cc_pulled = cast(:pulled as jsonb)");
        assignments.add("cc_pulled_at = now()");
        if (item.agrees() && item.seenAt() != null) {
            // the account's change is here in whole: the push's read of account changes must not send it back
            assignments.add("cc_seen_updated_at = greatest(cc_seen_updated_at, cast(:seenAt as timestamptz))");
        }
        var statement = jdbc.sql("update contact set " + String.join(", ", assignments) + " where id = :id")
                .param("cc", item.ccContactId()).param("pulled", item.pulled()).param("id", item.contactId());
        if (item.agrees() && item.seenAt() != null) {
            statement = statement.param("seenAt", Timestamp.from(item.seenAt()));
        }
        for (Map.Entry<String, Object> column : columns.entrySet()) {
            statement = statement.param(column.getKey(), parameter(column.getValue()));
        }
        if (!custom.isEmpty()) {
            statement = statement.param("customSet", JsonMapper.shared().writeValueAsString(written))
                    .param("customCleared", cleared.toArray(String[]::new));
        }
        statement.update();
    }

    private void deactivate(PullItem item) {
        jdbc.sql("""
                update contact set active = false, version = version + 1, updated_at = now(),
                    cc_contact_id = coalesce(cc_contact_id, cast(:cc as uuid))
                where id = :id""").param("cc", item.ccContactId()).param("id", item.contactId()).update();
        // a contact deleted there is on no list there any more: neither is it in this program's bookkeeping
        jdbc.sql("delete from cc_managed_member where contact_id = :id").param("id", item.contactId()).update();
    }

    private static void split(Map<String, Object> set, Map<String, Object> columns, Map<String, Object> custom) {
        set.forEach((name, value) -> {
            if (name.startsWith("custom_fields.")) {
                custom.put(name.substring("custom_fields.".length()), value);
            }
            else {
                columns.put(name, value);
            }
        });
    }

    private static String placeholder(String column) {
        return switch (column) {
            case "custom_fields", "cc_pulled" -> "cast(:" + column + " as jsonb)";
            case "cc_contact_id" -> "cast(:" + column + " as uuid)";
            default -> ":" + column;
        };
    }

    private static Object parameter(Object value) {
        return value instanceof Instant instant ? Timestamp.from(instant) : value;
    }
}
