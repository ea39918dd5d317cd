package org.contactbatch.contacts;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether a person agreed to be emailed, as recorded with each contact. {@code opted_out}: the person asked
 * not to be emailed (also read from "opted out", "opt-out", "unsubscribed", "declined").
 */
public enum ConsentState {
    CONFIRMED, UNCONFIRMED, PENDING, OPTED_OUT;

    private static final java.util.Set<String> OPT_OUT_WORDS = java.util.Set.of("opted out", "opted-out", "opt-out",
            "opt out", "optout", "unsubscribed", "declined");

    private final String value = name().toLowerCase(Locale.ROOT);

    public String value() {
        return value;
    }

    public static Optional<ConsentState> parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (OPT_OUT_WORDS.contains(value)) {
            return Optional.of(OPTED_OUT);
        }
        for (ConsentState state : values()) {
            if (state.value().equals(value)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
