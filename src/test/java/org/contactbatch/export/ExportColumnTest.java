package org.contactbatch.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

class ExportColumnTest {

    private static final Predicate<String> CUSTOM = Set.of("member_number", "Shoe Size")::contains;

    @Test
    void fieldsAreKnownByTheirKeysAndByTheNamesAnUploadKnows() {
        assertThat(ExportColumn.canonical(List.of("E-mail", "First Name", "zip", "State", "Lifecycle Stage",
                "updated_at", "lists"), CUSTOM))
                .containsExactly("email", "first_name", "postal_code", "region", "lifecycle_stage", "updated_at", "lists");
    }

    @Test
    void customFieldsByPrefixOrByTheNameOfOneThatExists() {
        assertThat(ExportColumn.canonical(List.of("custom:anything", "member_number", "Shoe Size"), CUSTOM))
                .containsExactly("custom:anything", "custom:member_number", "custom:Shoe Size");
        // as an upload names the custom field of a column "Member Number"
        assertThat(ExportColumn.canonical(List.of("Member Number"), CUSTOM)).containsExactly("custom:member_number");
        assertThatThrownBy(() -> ExportColumn.canonical(List.of("member_number", "Member Number"), CUSTOM))
                .hasMessageContaining("custom field 'member_number' twice");
    }

    @Test
    void idAndVersionMayBeListedButAlwaysComeFirst() {
        List<String> keys = ExportColumn.canonical(List.of("email", "version", "id"), CUSTOM);

        assertThat(keys).containsExactly("email");
        assertThat(ExportColumn.of(keys)).extracting(ExportColumn::header).containsExactly("id", "version", "email");
    }

    @Test
    void refusesUnknownNamesAndColumnsListedTwice() {
        assertThatThrownBy(() -> ExportColumn.canonical(List.of("emial"), CUSTOM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'emial' is neither a field nor a custom field")
                .hasMessageContaining("custom:emial");
        assertThatThrownBy(() -> ExportColumn.canonical(List.of("email", "E-Mail"), CUSTOM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'email' twice");
        assertThatThrownBy(() -> ExportColumn.canonical(List.of("custom: "), CUSTOM))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDefaultsAreEveryUploadFieldThenTheCustomFieldsHeadedSoTheyComeBack() {
        List<ExportColumn> columns = ExportColumn.defaults(List.of("member_number", "email"));

        assertThat(columns).extracting(ExportColumn::header).containsExactly("id", "version", "email", "phone",
                "first_name", "last_name", "company", "job_title", "street", "city", "region", "postal_code",
                "country", "lifecycle_stage", "owner", "legal", "groups", "tags", "consent", "custom:member_number",
                "custom:email");
        assertThat(columns.get(columns.size() - 1).customName()).isEqualTo("email");
    }
}
