package org.contactbatch.contacts;

import java.util.Locale;
import java.util.Optional;

/** Whether a person agreed to be emailed, as recorded with each contact. */
public enum ConsentState {
    CONFIRMED, UNCONFIRMED, PENDING;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ConsentState> parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        for (ConsentState state : values()) {
            if (state.value().equals(value)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
