package org.contactbatch.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.contactbatch.contacts.ColumnMapping.Unmapped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ColumnMappingTest {

    @TempDir
    Path temp;

    @Test
    void recognisesTheWordsPeopleUseForEachField() {
        ColumnMapping mapping = ColumnMapping.of(List.of("E-mail", "Given Name", "SURNAME", "Phone 1", "Company Name",
                "Zip", "State/Province", "Job Title", "email_address"), Map.of(), Unmapped.CUSTOM);

        assertThat(mapping.targets()).extracting(ColumnTarget::describe).containsExactly("email", "first_name",
                "last_name", "phone", "company", "postal_code", "region", "job_title",
                "custom field 'email_address'");
        assertThat(mapping.notes()).singleElement().satisfies(note -> {
            assertThat(note.code()).isEqualTo("DUPLICATE_MAPPING");
            assertThat(note.message()).contains("'email_address'").contains("'E-mail'");
        });
    }

    @Test
    void aColumnThatMatchesNothingIsACustomFieldOrIgnoredWithANote() {
        List<String> header = List.of("Email", "Member Since");

        assertThat(ColumnMapping.of(header, Map.of(), Unmapped.CUSTOM).targets().get(1))
                .isEqualTo(new ColumnTarget.Custom("member_since"));
        ColumnMapping ignoring = ColumnMapping.of(header, Map.of(), Unmapped.IGNORE);
        assertThat(ignoring.targets().get(1)).isInstanceOf(ColumnTarget.Ignored.class);
        assertThat(ignoring.notes()).extracting(ColumnMapping.Note::code).containsExactly("UNMAPPED_COLUMN");
    }

    @Test
    void theColumnsOfAFailedRowsReportAreIgnoredOnlyAtTheEnd() {
        ColumnMapping report = ColumnMapping.of(List.of("Email", "line", "column", "code", "message"), Map.of(),
                Unmapped.CUSTOM);
        assertThat(report.targets().subList(1, 5)).allMatch(t -> t instanceof ColumnTarget.Ignored);
        assertThat(report.notes()).isEmpty();

        ColumnMapping notAReport = ColumnMapping.of(List.of("Email", "code", "Phone"), Map.of(), Unmapped.CUSTOM);
        assertThat(notAReport.targets().get(1)).isEqualTo(new ColumnTarget.Custom("code"));
    }

    @Test
    void aMappingFileOverridesByHeaderOrPosition() throws Exception {
        Path file = Files.writeString(temp.resolve("m.yml"), """
                columns:
                  "Member E-mail": email
                  "Notes": ignore
                  "3": custom:Member No
                unmapped: ignore
                """);
        MappingFile mappingFile = MappingFile.load(file);
        ColumnMapping mapping = ColumnMapping.of(List.of("member e-mail", "Notes", "No.", "Branch"),
                mappingFile.columns(), mappingFile.unmapped());

        assertThat(mapping.targets()).extracting(ColumnTarget::describe).containsExactly("email",
                "ignored (mapping says ignore)", "custom field 'member_no'", "ignored (no matching field)");
    }

    @Test
    void aMappingFileNamingAnUnknownFieldIsRefusedWithTheColumn() throws Exception {
        Path file = Files.writeString(temp.resolve("bad.yml"), "columns:\n  \"Mail\": e_mail_adress\n");

        assertThatThrownBy(() -> MappingFile.load(file)).isInstanceOf(MappingFile.InvalidMappingException.class)
                .hasMessageContaining("'Mail'").hasMessageContaining("e_mail_adress").hasMessageContaining("custom:NAME");
    }
}
