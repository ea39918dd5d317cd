package org.contactbatch.web;

/** Ids in addresses: digits only, or the address names nothing. */
final class Ids {

    private Ids() {
    }

    static long parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NotFound();
        }
        return Long.parseLong(text);
    }
}
