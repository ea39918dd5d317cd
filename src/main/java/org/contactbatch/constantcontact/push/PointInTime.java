package org.contactbatch.constantcontact.push;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * A moment as people write it on the command line and in profiles: a date (its start, in this machine's zone), a
 * local date-time, or an instant with its offset. One reading for {@code --updated-since}, {@code --since} and a
 * profile's {@code since:}, so they can never disagree.
 */
public final class PointInTime {

    /** What the forms look like, for the messages that refuse anything else. */
    public static final String FORMS = "2026-11-30, 2026-11-30T18:00 or 2026-11-30T18:00:00Z";

    private PointInTime() {
    }

    /** @throws DateTimeParseException when the text is none of the three forms */
    public static Instant parse(String text) {
        String value = text.trim();
        if (value.length() == 10) {
            return LocalDate.parse(value).atStartOfDay(ZoneId.systemDefault()).toInstant();
        }
        if (value.endsWith("Z") || value.matches(".*[+-]\\d\\d:?\\d\\d$")) {
            return OffsetDateTime.parse(value).toInstant();
        }
        return LocalDateTime.parse(value).atZone(ZoneId.systemDefault()).toInstant();
    }
}
