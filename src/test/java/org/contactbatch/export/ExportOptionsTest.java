package org.contactbatch.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.contactbatch.contacts.ContactFilters;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.parameters.JobParameters;

class ExportOptionsTest {

    private static final ContactFilters FILTERS = new ContactFilters("Newsletter", "lead", "sam@example.com", "vip",
            "Board", "none", Boolean.FALSE, Instant.parse("2026-03-01T00:00:00Z"), true);

    private static ExportOptions options(ContactFilters filters, String run) {
        return new ExportOptions(ExportFormat.XLSX, Path.of("/tmp/x.xlsx"), List.of("email", "custom:member_number"),
                ';', false, true, filters, filters.byIds() ? Path.of("/tmp/ids.txt") : null,
                filters.byIds() ? "abc" : null, run);
    }

    @Test
    void travelsThroughJobParametersUnchanged() {
        ExportOptions options = options(FILTERS, "2026-11-23T08:00:00Z");

        assertThat(ExportOptions.from(options.toJobParameters())).isEqualTo(options);
        ExportOptions plain = new ExportOptions(ExportFormat.CSV, null, List.of(), ',', true, false,
                ContactFilters.none(), null, null, "r");
        assertThat(ExportOptions.from(plain.toJobParameters())).isEqualTo(plain);
    }

    @Test
    void theSameRequestWhateverItsRunAndOverwrite() {
        ExportOptions options = options(FILTERS, "one");
        JobParameters other = new ExportOptions(options.format(), options.out(), options.columns(), ';', false, false,
                FILTERS, options.ids(), options.idsSha256(), "two").toJobParameters();

        assertThat(options.sameRequest(other)).isTrue();
        ContactFilters otherTag = new ContactFilters("Newsletter", "lead", "sam@example.com", "VIP2", "Board", "none",
                Boolean.FALSE, FILTERS.updatedSince(), true);
        assertThat(options.sameRequest(options(otherTag, "one").toJobParameters())).isFalse();
    }

    @Test
    void filterValuesAreReadTheWayPeopleWriteThem() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        assertThat(ContactFilters.since("2026-03-01", paris)).isEqualTo(Instant.parse("2026-02-28T23:00:00Z"));
        assertThat(ContactFilters.since("2026-03-01T14:30", paris)).isEqualTo(Instant.parse("2026-03-01T13:30:00Z"));
        assertThat(ContactFilters.since("2026-03-01 14:30:15", paris)).isEqualTo(Instant.parse("2026-03-01T13:30:15Z"));
        assertThat(ContactFilters.since("2026-03-01T14:30:00Z", paris)).isEqualTo(Instant.parse("2026-03-01T14:30:00Z"));
        assertThat(ContactFilters.since("2026-03-01T14:30+02:00", paris)).isEqualTo(Instant.parse("2026-03-01T12:30:00Z"));
        assertThatThrownBy(() -> ContactFilters.since("yesterday", paris)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--updated-since 'yesterday'");

        assertThat(ContactFilters.stage(" Customer ")).isEqualTo("customer");
        assertThatThrownBy(() -> ContactFilters.stage("vip")).hasMessageContaining("subscriber, lead");
        assertThat(ContactFilters.consent("NONE")).isEqualTo("none");
        assertThat(ContactFilters.consent("Confirmed")).isEqualTo("confirmed");
        assertThatThrownBy(() -> ContactFilters.consent("yes")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ContactFilters.active("false")).isFalse();
        assertThat(ContactFilters.active("yes")).isTrue();
        assertThatThrownBy(() -> ContactFilters.active("maybe")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFormatFollowsTheFileName() {
        assertThat(ExportFormat.forFile(Path.of("a/B.XLSX"))).isEqualTo(ExportFormat.XLSX);
        assertThat(ExportFormat.forFile(Path.of("a/b.csv"))).isEqualTo(ExportFormat.CSV);
        assertThat(ExportFormat.forFile(Path.of("a/b.txt"))).isEqualTo(ExportFormat.CSV);
    }
}
