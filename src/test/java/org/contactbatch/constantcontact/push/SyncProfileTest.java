package org.contactbatch.constantcontact.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.contactbatch.constantcontact.SetupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncProfileTest {

    @TempDir
    Path dir;

    @Test
    void readsTheShippedNightlyProfile() {
        SyncProfile profile = SyncProfile.find(Path.of("jobs"), "nightly-sync");

        assertThat(profile.name()).isEqualTo("nightly-sync");
        PushOptions options = profile.options();
        assertThat(options.profile()).isEqualTo("nightly-sync");
        assertThat(options.managedList()).isEqualTo("Active Members");
        assertThat(options.consent()).containsExactly("confirmed", "unconfirmed");
        assertThat(options.allGroups()).isTrue();
        assertThat(options.customFields()).containsEntry("lifecycle_stage", "Lifecycle Stage");
        assertThat(options.exact()).isTrue();
        assertThat(profile.schedule().next(ZonedDateTime.of(2026, 1, 1, 12, 0, 0, 0, ZoneId.of("UTC"))))
                .isEqualTo(ZonedDateTime.of(2026, 1, 2, 2, 30, 0, 0, ZoneId.of("UTC")));
        assertThat(SyncProfile.all(Path.of("jobs"))).extracting(SyncProfile::name).contains("nightly-sync");
    }

    @Test
    void optionsSurviveTheJobParameters() {
        PushOptions options = SyncProfile.find(Path.of("jobs"), "nightly-sync").options().withDryRun(true);
        assertThat(PushOptions.fromJson(options.toJson())).isEqualTo(options);
    }

    @Test
    void withoutFieldsEveryStandardFieldGoesBothWaysAndCustomFieldsArePushed() {
        PushOptions options = SyncProfile.find(Path.of("jobs"), "nightly-sync").options();

        assertThat(options.fields()).as("the default is not written into the run's options").isNull();
        FieldMap mapping = options.mapping();
        assertThat(mapping.pulled()).extracting(FieldMap.Field::there).containsExactly("first_name", "last_name",
                "job_title", "company_name", "phone", "street", "city", "state", "zip", "country");
        assertThat(mapping.pushed()).extracting(FieldMap.Field::there).endsWith("cf:Lifecycle Stage", "cf:Account Owner");
        assertThat(mapping.there("company_name").here()).isEqualTo("company");
    }

    @Test
    void fieldsTakeADirectionOrAnotherConstantContactFieldAndCustomFieldsALabelAndADirection() throws Exception {
        Path file = dir.resolve("mapped.yml");
        Files.writeString(file, """
                direction: both
                fields:
                  job_title: pull
                  street: none
                  owner: {field: company_name, direction: push}
                custom-fields:
                  lifecycle_stage: Lifecycle Stage
                  member_no: {label: Member Number, direction: both}
                """);

        PushOptions options = SyncProfile.load(file).options();

        FieldMap mapping = options.mapping();
        assertThat(mapping.there("job_title").way()).isEqualTo(FieldMap.Way.PULL);
        assertThat(mapping.there("street")).isNull();
        assertThat(mapping.there("company_name")).isEqualTo(new FieldMap.Field("owner", "company_name", FieldMap.Way.PUSH));
        assertThat(mapping.there("cf:Lifecycle Stage").way()).isEqualTo(FieldMap.Way.PUSH);
        assertThat(mapping.there("cf:Member Number").way()).isEqualTo(FieldMap.Way.BOTH);
        assertThat(options.customFields()).containsEntry("member_no", "Member Number");
        assertThat(PushOptions.fromJson(options.toJson())).isEqualTo(options);
    }

    @Test
    void anUnknownFieldADirectionOrAKeyNamesTheFileAndTheKey() throws Exception {
        for (String yaml : new String[] {"fields:\n  nickname: both\n", "fields:\n  city: sideways\n",
                "fields:\n  city: {field: town}\n", "fields:\n  city: {feild: city}\n",
                "custom-fields:\n  member_no: {lable: Member Number}\n", "custom_fields:\n  a: b\n",
                "fields:\n  city: both\n  region: {field: city}\n"}) {
            Path file = dir.resolve("bad.yml");
            Files.writeString(file, yaml);
            assertThatThrownBy(() -> SyncProfile.load(file)).isInstanceOf(SetupException.class)
                    .hasMessageStartingWith("profile " + file + ": ").hasNoCause();
        }
    }

    @Test
    void fiveFieldCronAndGroupListsByName() throws Exception {
        Path file = dir.resolve("weekly.yml");
        Files.writeString(file, """
                managed-list: Weekly
                schedule: "15 3 * * 1"
                group-lists: [Board, Volunteers]
                """);
        SyncProfile profile = SyncProfile.load(file);
        assertThat(profile.schedule().next(ZonedDateTime.of(2026, 11, 23, 12, 0, 0, 0, ZoneId.of("UTC"))).getDayOfWeek())
                .hasToString("MONDAY");
        assertThat(profile.options().groupBecomesList("board")).isTrue();
        assertThat(profile.options().groupBecomesList("Staff")).isFalse();
    }

    @Test
    void aBrokenProfileSaysWhereAndWhat() throws Exception {
        Path file = dir.resolve("broken.yml");
        Files.writeString(file, "managed-list: X\nschedule: \"every night\"\n");
        assertThatThrownBy(() -> SyncProfile.load(file)).isInstanceOf(SetupException.class)
                .hasMessageContaining("broken.yml").hasMessageContaining("not a cron expression");
        Files.writeString(file, "managed-list: [unclosed\n");
        assertThatThrownBy(() -> SyncProfile.load(file)).isInstanceOf(SetupException.class)
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> SyncProfile.find(dir, "missing")).hasMessageContaining("not found");
    }

    @Test
    void aProfileWithoutADirectionPushesAsBeforeAndOneThatPullsSaysFromWhen() throws Exception {
        assertThat(SyncProfile.find(Path.of("jobs"), "nightly-sync").direction()).isEqualTo(SyncProfile.Direction.PUSH);
        Path old = dir.resolve("old.yml");
        Files.writeString(old, "managed-list: Old\n");
        assertThat(SyncProfile.load(old).direction()).isEqualTo(SyncProfile.Direction.PUSH);
        assertThat(SyncProfile.load(old).since()).isNull();

        Path both = dir.resolve("both.yml");
        Files.writeString(both, "direction: Both\nsince: 2024-03-01\n");
        SyncProfile profile = SyncProfile.load(both);
        assertThat(profile.direction().pulls()).isTrue();
        assertThat(profile.direction().pushes()).isTrue();
        assertThat(profile.since()).isEqualTo(java.time.LocalDate.of(2024, 3, 1).atStartOfDay(ZoneId.systemDefault()).toInstant());
        assertThat(SyncProfile.all(dir)).extracting(SyncProfile::name).contains("both");
        PullOptions pull = PullOptions.of(profile, null);
        assertThat(PullOptions.from(pull.toJobParameters(java.time.Instant.now()))).isEqualTo(pull);

        Files.writeString(both, "direction: sideways\n");
        assertThatThrownBy(() -> SyncProfile.load(both)).hasMessageContaining("both.yml")
                .hasMessageContaining("direction 'sideways' is not push, pull or both");
        Files.writeString(both, "direction: pull\nsince: last year\n");
        assertThatThrownBy(() -> SyncProfile.load(both)).hasMessageContaining("since 'last year' is not a date");
    }
}
