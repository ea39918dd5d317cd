package org.contactbatch.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.contactbatch.files.TextFilesTest.readAll;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Excel 2003 XML, as older systems' "export to Excel" writes it, named .xml or .xls. */
class SpreadsheetMlFilesTest {

    static final Path FIXTURE = Path.of("src/test/resources/files/excel-2003.xml");

    @TempDir
    Path dir;

    @Test
    void rowsComeOutAsExcelShowsThemWithTheSheetsRowNumbers() throws IOException {
        for (Path file : List.of(FIXTURE, Files.copy(FIXTURE, dir.resolve("members.xls")))) {
            try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
                assertThat(source.description().kind()).isEqualTo(FileKind.XML_SPREADSHEET);
                assertThat(source.description().describe()).isEqualTo("Excel 2003 XML, sheet 'Members' (1 of 2)");
                assertThat(source.description().sheetNames()).containsExactly("Members", "Notes");
                assertThat(source.header()).containsExactly("Email", "First Name", "Last Name", "Postal Code",
                        "Member Since", "Legal");
                assertThat(readAll(source)).containsExactly(
                        new RawRow(2, List.of("jose.garcia@example.org", "José", "García", "02134", "1997-03-04", "TRUE")),
                        // rich text reads as its text, a comment is not the cell, 00000 keeps the zero, ss:Index skips
                        new RawRow(3, List.of("anna.muller@example.de", "Anna", "Müller", "01067", "", "FALSE")),
                        // ss:Index on the row skips row 4; a merged cell leaves the next one empty
                        new RawRow(5, List.of("bjorn.odegard@example.no", "Bjørn Ødegård", "", "150")));
            }
        }
    }

    @Test
    void theSheetIsChosenByNameOrNumberAsInAWorkbook() {
        try (RowSource source = TabularFiles.open(FIXTURE, new ReadOptions(false, "2", null, null))) {
            assertThat(readAll(source)).extracting(RawRow::cells)
                    .containsExactly(List.of("exported from the old member database"));
        }
        assertThatThrownBy(() -> TabularFiles.open(FIXTURE, new ReadOptions(true, "Contacts", null, null)))
                .isInstanceOf(FileProblemException.class)
                .hasMessage("excel-2003.xml: there is no sheet 'Contacts' (sheets: 'Members', 'Notes')");
    }

    @Test
    void entitiesAreNeverExpandedNorReadFromTheMachine() throws IOException {
        String head = "<?xml version=\"1.0\"?>\n";
        String workbook = "<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\" "
                + "xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\"><Worksheet ss:Name=\"S\"><Table>"
                + "<Row><Cell><Data ss:Type=\"String\">Email</Data></Cell></Row>"
                + "<Row><Cell><Data ss:Type=\"String\">&x;</Data></Cell></Row></Table></Worksheet></Workbook>";
        Path external = Files.writeString(dir.resolve("external.xml"), head
                + "<!DOCTYPE Workbook [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>\n" + workbook);
        StringBuilder lol = new StringBuilder("<!DOCTYPE Workbook [<!ENTITY a \"aaaaaaaaaa\">");
        for (char c = 'b'; c <= 'x'; c++) {
            lol.append("<!ENTITY ").append(c).append(" \"").append(String.valueOf("&" + (char) (c - 1) + ";").repeat(10)).append("\">");
        }
        Path bomb = Files.writeString(dir.resolve("bomb.xml"), head + lol + "]>\n" + workbook, StandardCharsets.UTF_8);
        for (Path file : List.of(external, bomb)) {
            assertThatThrownBy(() -> {
                try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
                    readAll(source);
                }
            }).as(file.toString()).isInstanceOf(FileProblemException.class)
                    .hasMessageStartingWith(file.getFileName() + ": ")
                    .hasMessageContaining("the Excel XML file is damaged and cannot be read");
        }
    }

    @Test
    void aBrokenFileIsRefusedWithWhereItBreaks() throws IOException {
        String broken = Files.readString(FIXTURE).replace("<Cell><Data ss:Type=\"String\">Müller</Data>", "<Cell><Data>Müller");
        Path file = Files.writeString(dir.resolve("broken.xml"), broken);
        assertThatThrownBy(() -> {
            try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
                readAll(source);
            }
        }).isInstanceOf(FileProblemException.class)
                .hasMessageStartingWith("broken.xml: line ").hasMessageContaining("of the XML: the Excel XML file is damaged");
    }
}
