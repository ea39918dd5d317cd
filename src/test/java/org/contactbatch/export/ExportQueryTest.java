package org.contactbatch.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.contactbatch.contacts.ContactFilters;
import org.junit.jupiter.api.Test;

class ExportQueryTest {

    private static final String EVIL = "x'); drop table contact; --";

    @Test
    void noValueAPersonGaveEverBecomesSqlText() {
        ContactFilters filters = new ContactFilters(EVIL, "lead", EVIL, EVIL, EVIL, "pending", Boolean.TRUE,
                Instant.parse("2026-01-01T00:00:00Z"), true);
        ExportPlan plan = new ExportPlan(17, ExportFormat.CSV, Path.of("/tmp/out.csv"), ';', true, false,
                ExportColumn.of(List.of("email", "custom:" + EVIL)), 999, filters, 5L, 2);
        ExportQuery query = new ExportQuery(plan);

        for (String sql : List.of(query.copySlice(100, 2000, 5000), query.count(), query.customNames())) {
            assertThat(sql).doesNotContain(EVIL).doesNotContain("drop").doesNotContain("lead")
                    .doesNotContain("pending");
        }
        assertThat(query.copySlice(100, 2000, 5000))
                .contains("c.id > 100 and c.id <= 999")
                .contains("limit 5000")
                .contains("delimiter ';'")
                .contains("c.custom_fields ->> (select r.custom_names[1] from export_run r where r.id = 17)")
                .contains("c.lifecycle_stage = (select r.lifecycle_stage from export_run r where r.id = 17)")
                .contains("x.export_id = 17");
    }

    @Test
    void noFiltersSelectEveryContactUpToTheHighestIdAtTheStart() {
        ExportPlan plan = new ExportPlan(3, ExportFormat.CSV, Path.of("/tmp/o.csv"), ',', true, false,
                ExportColumn.defaults(List.of()), 1234, ContactFilters.none(), null, 1);

        assertThat(new ExportQuery(plan).count()).isEqualTo("select count(*) from contact c where c.id <= 1234");
        assertThat(new ExportQuery(plan).copySlice(1000, 5000, 100)).contains("c.id > 1000 and c.id <= 1234 order by"
                + " c.id limit 100");
        assertThat(plan.spools()).containsExactly(Path.of("/tmp/.o.csv.rows0"));
        assertThat(plan.partial()).isEqualTo(Path.of("/tmp/.o.csv.part"));
        assertThat(ExportQuery.delimiterLiteral('\t')).isEqualTo("E'\\t'");
    }
}
