package org.contactbatch.export;

import java.nio.file.Path;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import org.contactbatch.contacts.ContactFilters;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What one export does, decided once when it starts and kept in {@code export_run} under the job instance's id, so
 * every slice and every restart works from the same plan: the columns, where the file goes, and the filter values
 * (which the slices read from that row, as COPY takes no bind parameters).
 *
 * @param id           the job instance id
 * @param format       CSV or XLSX
 * @param out          the finished file; the rows are spooled next to it under temporary names
 * @param delimiter    the CSV delimiter
 * @param bom          the CSV starts with a byte order mark
 * @param overwrite    the finished file may replace an existing one
 * @param columns      in file order, id and version first
 * @param maxContactId the highest contact id when the export started: contacts created later are not in it
 * @param filters      which contacts
 * @param listId       the --list filter's list
 * @param parts        how many spools the rows are written to side by side (see {@link ExportPartitions}); 0 until
 *                     the rows step has split the work
 */
public record ExportPlan(long id, ExportFormat format, Path out, char delimiter, boolean bom, boolean overwrite,
        List<ExportColumn> columns, long maxContactId, ContactFilters filters, Long listId, int parts) {

    public ExportPlan {
        columns = List.copyOf(columns);
    }

    public List<String> headers() {
        return columns.stream().map(ExportColumn::header).toList();
    }

    public List<String> customNames() {
        return columns.stream().filter(ExportColumn::isCustom).map(ExportColumn::customName).toList();
    }

    /**
     * Where part {@code i} of the rows is spooled, as CSV: hidden next to the finished file, so putting that in
     * place is a rename on one file system. Part 0 starts with the header.
     */
    public Path spool(int part) {
        return out.resolveSibling("." + out.getFileName() + ".rows" + part);
    }

    /** The spools, in order. */
    public List<Path> spools() {
        return IntStream.range(0, parts).mapToObj(this::spool).toList();
    }

    /** Where a workbook is put together before it is moved into place (a CSV is put together in the first spool). */
    public Path partial() {
        return out.resolveSibling("." + out.getFileName() + ".part");
    }

    void insert(JdbcClient jdbc) {
        jdbc.sql("""
                insert into export_run (id, format, out_path, delimiter, bom, overwrite, columns, headers,
                    custom_names, max_contact_id, list_id, lifecycle_stage, owner, tag, group_name, consent, active,
                    updated_since, by_ids)
                values (:id, :format, :out, :delimiter, :bom, :overwrite, :columns, :headers, :customNames,
                    :maxId, :listId, :stage, :owner, :tag, :group, :consent, :active, :since, :byIds)""")
                .param("id", id)
                .param("format", format.value())
                .param("out", out.toString())
                .param("delimiter", String.valueOf(delimiter))
                .param("bom", bom)
                .param("overwrite", overwrite)
                .param("columns", columns.stream().map(ExportColumn::key).toArray(String[]::new))
                .param("headers", headers().toArray(String[]::new))
                .param("customNames", customNames().toArray(String[]::new))
                .param("maxId", maxContactId)
                .param("listId", listId)
                .param("stage", filters.stage())
                .param("owner", filters.owner())
                .param("tag", filters.tag())
                .param("group", filters.group())
                .param("consent", filters.consent())
                .param("active", filters.active())
                .param("since", filters.updatedSince() == null ? null : Timestamp.from(filters.updatedSince()))
                .param("byIds", filters.byIds())
                .update();
    }

    static Optional<ExportPlan> load(JdbcClient jdbc, long id) {
        return jdbc.sql("""
                select r.*, l.name as list_name from export_run r left join contact_list l on l.id = r.list_id
                where r.id = :id""")
                .param("id", id)
                .query((rs, n) -> fromRow(rs))
                .optional();
    }

    private static ExportPlan fromRow(ResultSet rs) throws SQLException {
        Timestamp since = rs.getTimestamp("updated_since");
        Object active = rs.getObject("active");
        ContactFilters filters = new ContactFilters(rs.getString("list_name"), rs.getString("lifecycle_stage"),
                rs.getString("owner"), rs.getString("tag"), rs.getString("group_name"), rs.getString("consent"),
                (Boolean) active, since == null ? null : since.toInstant(), rs.getBoolean("by_ids"));
        long listId = rs.getLong("list_id");
        boolean noList = rs.wasNull();
        return new ExportPlan(rs.getLong("id"), ExportFormat.parse(rs.getString("format")).orElseThrow(),
                Path.of(rs.getString("out_path")), rs.getString("delimiter").charAt(0), rs.getBoolean("bom"),
                rs.getBoolean("overwrite"), ExportColumn.of(strings(rs.getArray("columns"))),
                rs.getLong("max_contact_id"), filters, noList ? null : listId, rs.getInt("parts"));
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }
}
