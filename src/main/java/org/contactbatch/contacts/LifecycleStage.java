package org.contactbatch.contacts;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Where a contact stands with the organisation; a closed set so reports and filters can rely on it. */
public enum LifecycleStage {
    SUBSCRIBER, LEAD, PROSPECT, CUSTOMER, MEMBER, INACTIVE;

    /** Each stage by its value: an upload reads one a row. */
    private static final Map<String, LifecycleStage> BY_VALUE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(LifecycleStage::value, stage -> stage));

    private final String value = name().toLowerCase(Locale.ROOT);

    public String value() {
        return value;
    }

    public static Optional<LifecycleStage> parse(String text) {
        return Optional.ofNullable(BY_VALUE.get(text.trim().toLowerCase(Locale.ROOT)));
    }

    public static List<String> allowedValues() {
        return Arrays.stream(values()).map(LifecycleStage::value).toList();
    }
}
