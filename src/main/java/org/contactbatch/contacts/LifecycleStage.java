package org.contactbatch.contacts;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Where a contact stands with the organisation; a closed set so reports and filters can rely on it. */
public enum LifecycleStage {
    SUBSCRIBER, LEAD, PROSPECT, CUSTOMER, MEMBER, INACTIVE;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<LifecycleStage> parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(stage -> stage.value().equals(value)).findFirst();
    }

    public static List<String> allowedValues() {
        return Arrays.stream(values()).map(LifecycleStage::value).toList();
    }
}
