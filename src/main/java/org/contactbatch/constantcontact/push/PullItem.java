package org.contactbatch.constantcontact.push;

import java.util.Map;

/**
 * What the pull does with one contact read from the account.
 *
 * @param ccContactId  the contact's id there
 * @param contactId    the contact here (null when it is created, or skipped before one was found)
 * @param action       what happens here
 * @param set          the columns of {@code contact} to change, to their new values (null clears); custom fields
 *                     here as {@code custom_fields.<key>}
 * @param pulled       the mapped fields as read, import-named (kept in {@code contact.cc_pulled}), JSON
 * @param resubscribed the person is back to explicit or implicit there: the unsubscribed mark here goes
 * @param code         why skipped; null otherwise
 * @param reason       in words, for the sync log's file
 * @param conflicts    the fields changed on both sides since the last sync (a two-way profile), with the winner
 * @param seenAt       the contact's {@code updated_at} there
 * @param agrees       after this, the account holds what a push would send of it: its change there is taken in
 *                     whole, and the push need not send it again
 */
public record PullItem(String ccContactId, Long contactId, String email, String name, Action action,
        Map<String, Object> set, String pulled, boolean resubscribed, String code, String reason,
        java.util.List<Conflict> conflicts, java.time.Instant seenAt, boolean agrees) {

    /** A field changed here and there since the last sync; {@code thereWon} says which edit was newer. */
    public record Conflict(String field, String here, String there, boolean thereWon) {
    }

    public PullItem(String ccContactId, Long contactId, String email, String name, Action action,
            Map<String, Object> set, String pulled, boolean resubscribed, String code, String reason) {
        this(ccContactId, contactId, email, name, action, set, pulled, resubscribed, code, reason, java.util.List.of(),
                null, false);
    }

    public enum Action {
        CREATE('C'), UPDATE('U'), UNCHANGED('N'), DEACTIVATE('D'), SKIP('S');

        final char code;

        Action(char code) {
            this.code = code;
        }
    }

    static PullItem skip(String ccContactId, Long contactId, String email, String name, String code, String reason) {
        return new PullItem(ccContactId, contactId, email, name, Action.SKIP, Map.of(), null, false, code, reason);
    }
}
