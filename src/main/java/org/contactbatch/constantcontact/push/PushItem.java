package org.contactbatch.constantcontact.push;

/**
 * One selected contact in a push's plan.
 *
 * @param contactId the contact
 * @param email     its email as sent (trimmed), null when it has none
 * @param action    what the run does with it
 * @param listKey   the Constant Contact lists it joins, sorted ids joined by commas (null when not sent)
 * @param payload   the {@code import_data} element, JSON (null when not sent)
 * @param bytes     the payload's size in UTF-8
 * @param hash      what identifies the payload and lists, compared with what was pushed last time
 * @param code      why it is skipped or ignored (null otherwise)
 * @param message   the same in words
 * @param cleared   fields sent before and empty now, to clear in the account (comma-separated; null for none)
 */
public record PushItem(long contactId, String email, Action action, String listKey, String payload, int bytes,
        String hash, String code, String message, String cleared) {

    /** What a run does with a selected contact. */
    public enum Action {
        CREATE('C'), UPDATE('U'), UNCHANGED('N'), SKIP('S'), DUPLICATE('D');

        private final char code;

        Action(char code) {
            this.code = code;
        }

        public char code() {
            return code;
        }
    }

    static PushItem skip(ContactRow contact, String code, String message) {
        return new PushItem(contact.id(), contact.email(), Action.SKIP, null, null, 0, null, code, message, null);
    }
}
