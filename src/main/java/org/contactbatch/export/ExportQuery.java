package org.contactbatch.export;

import java.util.List;
import java.util.StringJoiner;

import org.contactbatch.contacts.ContactFilterSql;

/**
 * The SQL of one export, built from its {@link ExportPlan}. The text is ours alone: fixed fragments for the columns
 * and the filters that are set, and numbers we generated (the export's id, the id a slice starts after, a row limit).
 * Every value a person gave is read from the export's row in {@code export_run} by a sub-select, which PostgreSQL
 * evaluates once per statement; that is how a {@code COPY}, which takes no bind parameters, still never holds user text.
 */
final class ExportQuery {

    private final ExportPlan plan;

    ExportQuery(ExportPlan plan) {
        this.plan = plan;
    }

    /**
     * The next slice: up to {@code limit} selected contacts with an id after {@code afterId} and at most
     * {@code lastId}, in id order, as CSV.
     */
    String copySlice(long afterId, long lastId, int limit) {
        return "copy (select " + selectList() + " from contact c where c.id > " + afterId + " and c.id <= "
                + Math.min(lastId, plan.maxContactId()) + filters() + " order by c.id limit " + limit
                + ") to stdout with (format csv, delimiter " + delimiterLiteral(plan.delimiter()) + ")";
    }

    /** How many contacts the export selects. */
    String count() {
        return "select count(*) from contact c where c.id <= " + plan.maxContactId() + filters();
    }

    /** The custom field names the selected contacts have, for the default columns. */
    String customNames() {
        return "select distinct k.name from contact c cross join lateral jsonb_object_keys(c.custom_fields) k(name)"
                + " where c.id <= " + plan.maxContactId() + " and c.custom_fields <> '{}'::jsonb" + filters();
    }

    String selectList() {
        StringJoiner select = new StringJoiner(", ");
        int custom = 0;
        List<ExportColumn> columns = plan.columns();
        for (ExportColumn column : columns) {
            select.add(column.sql(plan.id(), column.isCustom() ? ++custom : 0));
        }
        return select.toString();
    }

    /** " and …" for each filter that is set, or "" for none. */
    String filters() {
        String sql = ContactFilterSql.where(plan.filters(), plan.listId() != null, this::value);
        if (plan.filters().byIds()) {
            sql += " and exists (select 1 from export_id x where x.export_id = " + plan.id() + " and x.contact_id = c.id)";
        }
        return sql;
    }

    /** A filter value of this export, read from its row. The column names are ours, never a person's. */
    private String value(String column) {
        return "(select r." + column + " from export_run r where r.id = " + plan.id() + ")";
    }

    /** COPY's delimiter option for the few delimiters an export offers. */
    static String delimiterLiteral(char delimiter) {
        return switch (delimiter) {
            case ',' -> "','";
            case ';' -> "';'";
            case '|' -> "'|'";
            case '\t' -> "E'\\t'";
            default -> throw new IllegalArgumentException("unsupported delimiter: " + delimiter);
        };
    }
}
