package org.contactbatch.constantcontact;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Which Constant Contact account this database's sync state belongs to: the contacts' ids there, what was
 * last sent (hashes), the lists' and custom fields' ids, the managed list's members, the cursors of what was
 * read from the account. All of it describes one account. When a connection is made to another (its
 * {@code encoded_account_id} differs), all of it is reset in one transaction, so that nothing of the first
 * account is assumed about the second: the next push creates the lists and sends every selected contact
 * again, and reads back what the new account holds.
 *
 * <p>Kept: the history of runs and their reports, and who is unsubscribed — an unsubscribe is the person's
 * wish, so someone who unsubscribed in the first account is not sent to the second. A local opt-out's mark
 * is cleared, so that the opt-out reaches the new account too.
 */
@Component
public class AccountSwitch {

    /** The {@code cc_sync_state} key naming the account the sync state is about. */
    static final String OWNER = "account_id";

    /** How the account just connected relates to the one the sync state is about. */
    public enum Kind {
        /** nothing was synced before */
        FIRST,
        /** the account the earlier runs went to */
        SAME,
        /** earlier runs happened before this program recorded accounts: taken to be this one */
        UNRECORDED,
        /** another account: the sync state was reset */
        ANOTHER
    }

    /**
     * @param kind     how it relates
     * @param previous the account the sync state was about, null when none was recorded
     * @param reset    what was reset when it is another account (what → how many), empty otherwise
     */
    public record Outcome(Kind kind, String accountId, String previous, Map<String, Integer> reset) {

        /** One line for the person who connected, or null when there is nothing to say. */
        public String describe() {
            return switch (kind) {
                case FIRST, SAME -> null;
                case UNRECORDED -> "Earlier pushes were made before the account was recorded; they are taken to have "
                        + "gone to this account (" + accountId + ").";
                case ANOTHER -> "This is another Constant Contact account (" + accountId + ") than the one earlier "
                        + "pushes went to (" + previous + "): its sync state was reset ("
                        + reset.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                                .collect(Collectors.joining(", "))
                        + "); the next push sends every selected contact to this account.";
            };
        }
    }

    private final JdbcClient jdbc;

    public AccountSwitch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records that the sync state is about {@code accountId} from now on, resetting it if it was about another. */
    @Transactional
    public Outcome bind(String accountId) {
        String previous = jdbc.sql("select value from cc_sync_state where key = :key for update")
                .param("key", OWNER).query(String.class).optional().orElse(null);
        Kind kind;
        Map<String, Integer> reset = new LinkedHashMap<>();
        if (accountId.equals(previous)) {
            return new Outcome(Kind.SAME, accountId, previous, reset);
        }
        if (previous != null) {
            kind = Kind.ANOTHER;
            reset.put("contact ids and hashes", jdbc.sql("""
                    update contact set cc_contact_id = null, cc_hash = null, cc_pushed_at = null, cc_email = null,
                        cc_sent = null, cc_seen_updated_at = null,
                        cc_unsubscribed = cc_unsubscribed and coalesce(consent_state, '') <> 'opted_out'
                    where cc_contact_id is not null or cc_hash is not null or cc_sent is not null or cc_email is not null
                        or cc_pushed_at is not null or cc_seen_updated_at is not null""").update());
            int lists = jdbc.sql("delete from cc_list").update();
            jdbc.sql("update contact_list set cc_list_id = null where cc_list_id is not null").update();
            reset.put("list ids", lists);
            reset.put("custom field ids", jdbc.sql("delete from cc_custom_field").update());
            reset.put("managed list members", jdbc.sql("delete from cc_managed_member").update());
            reset.put("cursors", jdbc.sql("delete from cc_sync_state where key <> :key").param("key", OWNER).update());
        }
        else {
            boolean synced = jdbc.sql("""
                    select exists (select 1 from contact where cc_contact_id is not null or cc_hash is not null)
                        or exists (select 1 from cc_list)""").query(Boolean.class).single();
            kind = synced ? Kind.UNRECORDED : Kind.FIRST;
        }
        jdbc.sql("""
                insert into cc_sync_state (key, value, updated_at) values (:key, :value, now())
                on conflict (key) do update set value = excluded.value, updated_at = now()""")
                .param("key", OWNER).param("value", accountId).update();
        return new Outcome(kind, accountId, previous, reset);
    }
}
