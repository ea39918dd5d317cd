package org.contactbatch.contacts;

import java.util.function.UnaryOperator;

/**
 * The SQL of a {@link ContactFilters} selection over {@code contact c}: " and …" for each filter that is set.
 * The text is fixed fragments only; each value a person gave is read from wherever the caller keeps it (a bound
 * parameter, or a column of the export's row for a {@code COPY}, which takes no parameters), named by
 * {@link #LIST_ID}, {@link #STAGE} and the others.
 */
public final class ContactFilterSql {

    public static final String LIST_ID = "list_id";
    public static final String STAGE = "lifecycle_stage";
    public static final String OWNER = "owner";
    public static final String TAG = "tag";
    public static final String GROUP = "group_name";
    public static final String CONSENT = "consent";
    public static final String ACTIVE = "active";
    public static final String UPDATED_SINCE = "updated_since";

    private ContactFilterSql() {
    }

    /**
     * @param filters which contacts
     * @param hasList whether the list filter's list was found (its id is the value {@link #LIST_ID})
     * @param value   the SQL that reads a named value
     */
    public static String where(ContactFilters filters, boolean hasList, UnaryOperator<String> value) {
        StringBuilder sql = new StringBuilder();
        if (hasList) {
            sql.append(" and exists (select 1 from contact_list_member m where m.contact_id = c.id and m.list_id = ")
                    .append(value.apply(LIST_ID)).append(')');
        }
        if (filters.stage() != null) {
            sql.append(" and c.lifecycle_stage = ").append(value.apply(STAGE));
        }
        if (filters.owner() != null) {
            sql.append(" and lower(c.owner) = lower(").append(value.apply(OWNER)).append(')');
        }
        if (filters.tag() != null) {
            sql.append(" and exists (select 1 from unnest(c.tags) t(v) where lower(t.v) = lower(")
                    .append(value.apply(TAG)).append("))");
        }
        if (filters.group() != null) {
            sql.append(" and exists (select 1 from unnest(c.groups) g(v) where lower(g.v) = lower(")
                    .append(value.apply(GROUP)).append("))");
        }
        if (ContactFilters.NO_CONSENT.equals(filters.consent())) {
            sql.append(" and c.consent_state is null");
        }
        else if (filters.consent() != null) {
            sql.append(" and c.consent_state = ").append(value.apply(CONSENT));
        }
        if (filters.active() != null) {
            sql.append(" and c.active = ").append(value.apply(ACTIVE));
        }
        if (filters.updatedSince() != null) {
            sql.append(" and c.updated_at >= ").append(value.apply(UPDATED_SINCE));
        }
        return sql.toString();
    }
}
