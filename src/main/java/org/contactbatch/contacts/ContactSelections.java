package org.contactbatch.contacts;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.contactbatch.db.Cursors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Contacts as people pick them in the console: a page of those matching a search and the export's filters, in the
 * order of their last change, one page after the other by where the last one ended (no offset and no count of
 * the whole table, so the thousandth page costs what the first does); and what an admin does to a selection —
 * the contacts ticked on a page, or all that match — set-based, in one statement each.
 */
@Service
public class ContactSelections {

    /** Search text: the start of an email, a first or last name or "first last"; three digits or more also a phone's. */
    public record Query(String text, ContactFilters filters) {

        public Query {
            text = text == null || text.isBlank() ? null : text.strip();
            filters = filters == null ? ContactFilters.none() : filters;
        }

        public boolean isEmpty() {
            return text == null && filters.isEmpty();
        }
    }

    /** The contacts ticked on a page (ids), or all that match a query. */
    public record Selection(List<Long> ids, Query query) {

        public static Selection of(List<Long> ids) {
            return new Selection(List.copyOf(ids), null);
        }

        public static Selection matching(Query query) {
            return new Selection(null, query);
        }
    }

    /** One contact as the list shows it. */
    public record Row(long id, String email, String phone, String name, String company, String stage, String owner,
            String consent, boolean active, OffsetDateTime updatedAt, int version) {
    }

    public enum Order {
        /** last changed first */
        NEWEST,
        /** last changed last: the end of the list */
        OLDEST
    }

    /** Where a page ends: the next one starts after this contact, in the page's order. */
    public record After(OffsetDateTime updatedAt, long id) {

        /** For a link: "2026-12-01T10:00:00.123456Z_42". */
        public String token() {
            return updatedAt.withOffsetSameInstant(ZoneOffset.UTC) + "_" + id;
        }

        /** The token of a link, or nothing when it is not one. */
        public static Optional<After> parse(String token) {
            if (token == null || token.isBlank()) {
                return Optional.empty();
            }
            int at = token.lastIndexOf('_');
            try {
                return Optional.of(new After(OffsetDateTime.parse(token.substring(0, at)),
                        Long.parseLong(token.substring(at + 1))));
            }
            catch (DateTimeParseException | NumberFormatException | IndexOutOfBoundsException e) {
                return Optional.empty();
            }
        }
    }

    /** A page and where the next one starts (null on the last). */
    public record Page(List<Row> rows, After next) {
    }

    private record Where(String sql, Map<String, Object> params) {
    }

    private final JdbcClient jdbc;
    private final DataSource dataSource;

    public ContactSelections(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    public Page page(Query query, Order order, After after, int size) {
        Where where = where(Selection.matching(query));
        Map<String, Object> params = new HashMap<>(where.params());
        String keyset = "";
        if (after != null) {
            keyset = order == Order.NEWEST ? " and (c.updated_at, c.id) < (:afterAt, :afterId)"
                    : " and (c.updated_at, c.id) > (:afterAt, :afterId)";
            params.put("afterAt", after.updatedAt());
            params.put("afterId", after.id());
        }
        String direction = order == Order.NEWEST ? "desc" : "asc";
        params.put("limit", size + 1);
        List<Row> rows = jdbc.sql("select c.id, c.email, c.phone, concat_ws(' ', c.first_name, c.last_name), c.company,"
                        + " c.lifecycle_stage, c.owner, c.consent_state, c.active, c.updated_at, c.version"
                        + " from contact c where true" + where.sql() + keyset
                        + " order by c.updated_at " + direction + ", c.id " + direction + " limit :limit")
                .params(params)
                .query((rs, n) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), emptyToNull(rs.getString(4)),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getBoolean(9),
                        rs.getObject(10, OffsetDateTime.class), rs.getInt(11)))
                .list();
        if (rows.size() <= size) {
            return new Page(rows, null);
        }
        Row last = rows.get(size - 1);
        return new Page(rows.subList(0, size), new After(last.updatedAt(), last.id()));
    }

    /**
     * About how many contacts there are, from the planner's statistics: no count of the whole table. Nothing
     * before the table was first analysed.
     */
    public Optional<Long> estimatedTotal() {
        long estimate = jdbc.sql("select reltuples::bigint from pg_class where oid = 'contact'::regclass")
                .query(Long.class).single();
        return estimate < 0 ? Optional.empty() : Optional.of(estimate);
    }

    /** Adds the active contacts of the selection to the list, made when missing; how many joined it. */
    @Transactional
    public long addToList(Selection selection, String list) {
        jdbc.sql("insert into contact_list (name) values (:name) on conflict (lower(name)) do nothing")
                .param("name", list).update();
        long listId = jdbc.sql("select id from contact_list where lower(name) = lower(:name)")
                .param("name", list).query(Long.class).single();
        Where where = where(selection);
        Map<String, Object> params = new HashMap<>(where.params());
        params.put("list", listId);
        return jdbc.sql("insert into contact_list_member (list_id, contact_id) select :list, c.id from contact c"
                        + " where c.active" + where.sql() + " on conflict do nothing")
                .params(params).update();
    }

    /** Gives the contacts of the selection the tag (those that have it keep it once); how many got it. */
    public long addTag(Selection selection, String tag) {
        Where where = where(selection);
        Map<String, Object> params = new HashMap<>(where.params());
        params.put("newTag", tag);
        return jdbc.sql("update contact c set tags = c.tags || array[cast(:newTag as text)], version = c.version + 1,"
                        + " updated_at = now() where not exists (select 1 from unnest(c.tags) t(v)"
                        + " where lower(t.v) = lower(:newTag))" + where.sql())
                .params(params).update();
    }

    /**
     * Deactivates the selection's active contacts: they stay, marked inactive, out of every list here and out of
     * every push; the lists they left are kept for {@link #reactivate}. How many changed.
     */
    public long deactivate(Selection selection) {
        Where where = where(selection);
        return jdbc.sql("with changed as (update contact c set active = false, version = c.version + 1,"
                        + " updated_at = now() where c.active" + where.sql() + " returning c.id),"
                        + " left_lists as (delete from contact_list_member m using changed where m.contact_id = changed.id"
                        + " returning m.list_id, m.contact_id, m.added_at),"
                        + " kept as (insert into contact_list_left (list_id, contact_id, added_at)"
                        + " select list_id, contact_id, added_at from left_lists on conflict do nothing)"
                        + " select count(*) from changed")
                .params(where.params()).query(Long.class).single();
    }

    /** Makes the selection's inactive contacts active again, back on the lists they left; how many changed. */
    public long reactivate(Selection selection) {
        Where where = where(selection);
        return jdbc.sql("with changed as (update contact c set active = true, version = c.version + 1,"
                        + " updated_at = now() where not c.active" + where.sql() + " returning c.id),"
                        + " back as (delete from contact_list_left l using changed where l.contact_id = changed.id"
                        + " returning l.list_id, l.contact_id, l.added_at),"
                        + " joined as (insert into contact_list_member (list_id, contact_id, added_at)"
                        + " select list_id, contact_id, added_at from back on conflict do nothing)"
                        + " select count(*) from changed")
                .params(where.params()).query(Long.class).single();
    }

    /** Writes the ids of the selection to a file an export reads ({@link IdsFile}); how many. */
    public long writeIds(Selection selection, Path file) {
        Where where = where(selection);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path partial = file.resolveSibling(file.getFileName() + ".part");
            long[] written = {0};
            try (BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                out.write("id\n");
                Cursors.forEach(dataSource, "select c.id from contact c where true" + where.sql() + " order by c.id",
                        where.params(), rs -> {
                            try {
                                out.write(Long.toString(rs.getLong(1)));
                                out.write('\n');
                                written[0]++;
                            }
                            catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return written[0];
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Where where(Selection selection) {
        Map<String, Object> params = new HashMap<>();
        if (selection.ids() != null) {
            if (selection.ids().isEmpty()) {
                return new Where(" and false", params);
            }
            params.put("ids", selection.ids());
            return new Where(" and c.id in (:ids)", params);
        }
        ContactFilters filters = selection.query().filters();
        Long listId = null;
        if (filters.list() != null) {
            listId = jdbc.sql("select id from contact_list where lower(name) = lower(:name)")
                    .param("name", filters.list()).query(Long.class).optional().orElse(null);
            if (listId == null) {
                // a list that does not exist has no members
                return new Where(" and false", params);
            }
            params.put(ContactFilterSql.LIST_ID, listId);
        }
        params.put(ContactFilterSql.STAGE, filters.stage());
        params.put(ContactFilterSql.OWNER, filters.owner());
        params.put(ContactFilterSql.TAG, filters.tag());
        params.put(ContactFilterSql.GROUP, filters.group());
        params.put(ContactFilterSql.CONSENT, filters.consent());
        params.put(ContactFilterSql.ACTIVE, filters.active());
        params.put(ContactFilterSql.UPDATED_SINCE, filters.updatedSince() == null ? null
                : filters.updatedSince().atOffset(ZoneOffset.UTC));
        StringBuilder sql = new StringBuilder(ContactFilterSql.where(filters, listId != null, name -> ":" + name));
        String text = selection.query().text();
        if (text != null) {
            params.put("prefix", likePrefix(text.toLowerCase(Locale.ROOT)));
            sql.append(" and (lower(c.email) like :prefix or lower(c.first_name) like :prefix"
                    + " or lower(c.last_name) like :prefix or lower(concat_ws(' ', c.first_name, c.last_name)) like :prefix");
            String digits = text.replaceAll("[^0-9]", "");
            if (digits.length() >= 3) {
                params.put("digits", "%" + digits + "%");
                sql.append(" or regexp_replace(coalesce(c.phone, ''), '[^0-9]', '', 'g') like :digits");
            }
            sql.append(')');
        }
        return new Where(sql.toString(), params);
    }

    /** What LIKE reads as "starts with this text": its own % and _ (and the escape) taken literally. */
    private static String likePrefix(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
