package org.contactbatch.imports;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;

/** What the apply steps of both modes share about the staged rows of a slice of lines. */
public final class StagedSlices {

    private StagedSlices() {
    }

    /**
     * The last line of the next slice: up to {@code slice} rows with one of these actions after
     * line {@code after} and no later than {@code last}; -1 when there are none.
     */
    public static long end(JdbcClient jdbc, long importId, long after, long last, int slice, RowAction... actions) {
        String in = Arrays.stream(actions).map(RowAction::sql).collect(Collectors.joining(", "));
        return jdbc.sql("""
                select coalesce(max(line), -1) from (
                    select line from staged_contact
                    where import_id = :id and line > :after and line <= :last and action in (%s)
                    order by line limit :slice) slice""".formatted(in))
                .param("id", importId).param("after", after).param("last", last).param("slice", slice)
                .query(Long.class).single();
    }

    /** A before-image of the whole contact c, for an apply that may change any of its columns. */
    public static final String WHOLE_CONTACT = "to_jsonb(c) - 'cc_syncable'";

    /**
     * Keeps what the contacts the slice's rows update look like now, and the version the update
     * leaves them at, so the import can be undone where nobody changed them since. Kept once: a
     * slice done again after a crash keeps the first image.
     *
     * @param image the image of contact c as {@code jsonb}: {@link #WHOLE_CONTACT}, or an object of
     *              only the columns the update changes (a revert takes the rest from the contact,
     *              which is unchanged whenever a revert applies)
     */
    public static void keepBeforeImages(JdbcClient jdbc, long importId, long after, long through, String image) {
        jdbc.sql(RowAction.inline("""
                insert into contact_before_image (import_id, contact_id, before, after_version)
                select :id, c.id, %s, c.version + 1
                from staged_contact s join contact c on c.id = s.contact_id
                where s.import_id = :id and s.action = {UPDATE} and s.line > :after and s.line <= :through
                on conflict do nothing""".formatted(image)))
                .param("id", importId).param("after", after).param("through", through)
                .update();
    }
}
