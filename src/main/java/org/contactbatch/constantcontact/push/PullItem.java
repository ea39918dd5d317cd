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
 */
public record PullItem(String ccContactId, Long contactId, String email, String name, Action action,
        Map<String, Object> set, String pulled, boolean resubscribed, String code, String reason) {

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
