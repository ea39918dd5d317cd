package org.contactbatch.contacts;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;


/**
 * Which contacts an export or the console's contacts page selects. Every filter that is set must hold (AND); none set selects
 * every contact. Values are kept as typed (trimmed) and only ever reach the database as bound values.
 *
 * @param list         member of this list (name, any case)
 * @param stage        lifecycle stage
 * @param owner        owner (any case)
 * @param tag          has this tag (any case)
 * @param group        in this group (any case)
 * @param consent      consent state: confirmed, unconfirmed, pending, or none (no consent recorded)
 * @param active       active or not
 * @param updatedSince changed at or after this moment
 * @param byIds        only the contacts whose IDs an --ids file lists
 */
public record ContactFilters(String list, String stage, String owner, String tag, String group, String consent,
        Boolean active, Instant updatedSince, boolean byIds) {

    /** The consent filter value for contacts without any consent recorded. */
    public static final String NO_CONSENT = "none";

    public static ContactFilters none() {
        return new ContactFilters(null, null, null, null, null, null, null, null, false);
    }

    /** The lifecycle stage as stored, or an IllegalArgumentException that says which are known. */
    public static String stage(String text) {
        return LifecycleStage.parse(text).map(LifecycleStage::value).orElseThrow(() -> new IllegalArgumentException(
                "--stage '" + text + "' is not one of " + String.join(", ", LifecycleStage.allowedValues())));
    }

    public static String consent(String text) {
        if (text.trim().equalsIgnoreCase(NO_CONSENT)) {
            return NO_CONSENT;
        }
        return ConsentState.parse(text).map(ConsentState::value).orElseThrow(() -> new IllegalArgumentException(
                "--consent '" + text + "' is not one of confirmed, unconfirmed, pending, opted_out, none"));
    }

    public static Boolean active(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "y", "1" -> Boolean.TRUE;
            case "false", "no", "n", "0" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("--active '" + text + "' is not true or false");
        };
    }

    /**
     * "2026-03-01" (midnight), "2026-03-01T14:30", "2026-03-01 14:30:15" in the given zone (the machine's), or with an
     * offset such as "2026-03-01T14:30:00Z" or "…+02:00" as written.
     */
    public static Instant since(String text, ZoneId zone) {
        String value = text.trim();
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(zone).toInstant();
            }
            String iso = value.replace(' ', 'T').toUpperCase(Locale.ROOT);
            try {
                return OffsetDateTime.parse(iso).toInstant();
            }
            catch (DateTimeException noOffset) {
                return LocalDateTime.parse(iso).atZone(zone).toInstant();
            }
        }
        catch (DateTimeException e) {
            throw new IllegalArgumentException("--updated-since '" + text + "' is not a date (2026-03-01) or a date "
                    + "and time (2026-03-01T14:30, optionally with an offset such as Z or +02:00)");
        }
    }

    public boolean isEmpty() {
        return list == null && stage == null && owner == null && tag == null && group == null && consent == null
                && active == null && updatedSince == null && !byIds;
    }

    /** The filters as a person would write them, for messages. */
    public List<String> describe() {
        List<String> parts = new ArrayList<>();
        add(parts, "list", list);
        add(parts, "stage", stage);
        add(parts, "owner", owner);
        add(parts, "tag", tag);
        add(parts, "group", group);
        add(parts, "consent", consent);
        add(parts, "active", active == null ? null : active.toString());
        add(parts, "updated since", updatedSince == null ? null : updatedSince.toString());
        if (byIds) {
            parts.add("IDs from a file");
        }
        return parts;
    }

    private static void add(List<String> parts, String name, String value) {
        if (value != null) {
            parts.add(name + " " + value);
        }
    }
}
