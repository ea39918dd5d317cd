package org.contactbatch.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;

import org.contactbatch.contacts.ColumnMapping;
import org.contactbatch.contacts.ConsentState;
import org.contactbatch.files.RawRow;
import org.contactbatch.imports.RowRejectedException;
import org.contactbatch.imports.StagedContact;
import org.contactbatch.reports.RowIssue;
import org.junit.jupiter.api.Test;

class UploadRowProcessorTest {

    private final UploadRowProcessor processor = new UploadRowProcessor(ColumnMapping.of(
            List.of("Email", "First Name", "Phone", "Lifecycle Stage", "Legal", "Tags", "Consent", "Member No"),
            Map.of(), ColumnMapping.Unmapped.CUSTOM), ConsentState.UNCONFIRMED, "US");

    @Test
    void aGoodRowBecomesATypedContact() {
        StagedContact contact = processor.process(row(7, " ann@example.com ", "Ann", "(212) 555-0143", "Customer",
                "yes", "vip; events,vip", "", "M-1"));

        assertThat(contact.line()).isEqualTo(7);
        assertThat(contact.email()).isEqualTo("ann@example.com");
        assertThat(contact.phone()).isEqualTo("(212) 555-0143");
        assertThat(contact.phoneE164()).isEqualTo("+12125550143");
        assertThat(contact.lifecycleStage()).isEqualTo("customer");
        assertThat(contact.legal()).isTrue();
        assertThat(contact.tags()).containsExactly("vip", "events");
        assertThat(contact.consentState()).isEqualTo("unconfirmed");
        assertThat(contact.customFields()).containsExactly(Map.entry("member_no", "M-1"));
        assertThat(contact.warnings()).isEmpty();
    }

    @Test
    void everyProblemOfABadRowIsReportedAtOnce() {
        RowRejectedException rejected = catchThrowableOfType(RowRejectedException.class, () -> processor.process(
                row(12, "ann@", "A".repeat(51), "", "lead", "", "", "", "")));

        assertThat(rejected.issues()).extracting(RowIssue::line, RowIssue::column, RowIssue::code).containsExactly(
                org.assertj.core.groups.Tuple.tuple(12L, "First Name", "TOO_LONG"),
                org.assertj.core.groups.Tuple.tuple(12L, "Email", "INVALID_EMAIL"));
        assertThat(rejected.issues().get(0).message()).contains("51 characters").contains("at most 50");
    }

    @Test
    void valuesOutsideTheClosedSetsAreLeftOutWithAWarningAndThePersonLoads() {
        StagedContact contact = processor.process(
                row(12, "ann@example.com", "Ann", "", "churned", "maybe", "", "sometimes", ""));

        assertThat(contact.email()).isEqualTo("ann@example.com");
        assertThat(contact.lifecycleStage()).isNull();
        assertThat(contact.legal()).isNull();
        // the file's default consent is for rows that say nothing: this one said something the program can't read
        assertThat(contact.consentState()).isNull();
        assertThat(contact.warnings()).extracting(RowIssue::line, RowIssue::column, RowIssue::code, RowIssue::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(12L, "Lifecycle Stage", "UNKNOWN_VALUE",
                                "lifecycle stage 'churned' is not one of subscriber, lead, prospect, customer, member, "
                                        + "inactive; left out"),
                        org.assertj.core.groups.Tuple.tuple(12L, "Legal", "UNKNOWN_VALUE", "legal 'maybe' is not yes or no; left out"),
                        org.assertj.core.groups.Tuple.tuple(12L, "Consent", "UNKNOWN_VALUE",
                                "consent 'sometimes' is not one of confirmed, unconfirmed, pending, opted_out; left out"));
    }

    @Test
    void aRowNeedsAnEmailOrAPhone() {
        RowRejectedException rejected = catchThrowableOfType(RowRejectedException.class,
                () -> processor.process(row(3, "", "Ann", "", "", "", "", "", "")));

        assertThat(rejected.issues()).extracting(RowIssue::code).containsExactly("MISSING_CONTACT");
    }

    @Test
    void aPhoneOnlyContactLoadsWithAWarning() {
        StagedContact contact = processor.process(row(4, "", "Ann", "+44 20 7946 0958", "", "", "", "", ""));

        assertThat(contact.phoneE164()).isEqualTo("+442079460958");
        assertThat(contact.warnings()).extracting(RowIssue::code, RowIssue::column)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("NO_EMAIL", "Email"));
    }

    @Test
    void valuesPastTheHeaderMakeARaggedRowButTrailingEmptyCellsDoNot() {
        assertThat(processor.process(row(5, "ann@example.com", "Ann", "", "", "", "", "", "", "", " "))).isNotNull();

        RowRejectedException rejected = catchThrowableOfType(RowRejectedException.class,
                () -> processor.process(row(6, "ann@example.com", "Ann", "", "", "", "", "", "", "oops")));
        assertThat(rejected.issues()).extracting(RowIssue::code).containsExactly("RAGGED_ROW");
    }

    @Test
    void aPhoneWithoutDigitsIsRejectedButAnUnrecognisedOneIsKeptAsTyped() {
        RowRejectedException rejected = catchThrowableOfType(RowRejectedException.class,
                () -> processor.process(row(8, "ann@example.com", "", "unknown", "", "", "", "", "")));
        assertThat(rejected.issues()).extracting(RowIssue::code).containsExactly("INVALID_PHONE");

        StagedContact odd = processor.process(row(9, "bob@example.com", "", "ext 12", "", "", "", "", ""));
        assertThat(odd.phone()).isEqualTo("ext 12");
        assertThat(odd.phoneE164()).isNull();
    }

    private static RawRow row(long line, String... cells) {
        return new RawRow(line, List.of(cells));
    }
}
