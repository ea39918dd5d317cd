package org.contactbatch.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.contactbatch.files.TextFilesTest.readAll;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A table saved as a web page and named .xls, as older systems' "export to Excel" does. */
class HtmlTableFilesTest {

    static final Path FIXTURE = Path.of("src/test/resources/files/html-table.xls");

    @TempDir
    Path dir;

    @Test
    void theFirstTableReadsAsABrowserShowsItInThePagesEncoding() {
        try (RowSource source = TabularFiles.open(FIXTURE, ReadOptions.defaults())) {
            assertThat(source.description().kind()).isEqualTo(FileKind.HTML_TABLE);
            assertThat(source.description().describe()).isEqualTo("HTML table, windows-1252");
            assertThat(source.description().charset()).isEqualTo(Charset.forName("windows-1252"));
            assertThat(source.header()).containsExactly("Email", "First Name", "Last Name", "Postal Code", "Note");
            assertThat(readAll(source)).containsExactly(
                    new RawRow(2, List.of("jose.garcia@example.org", "José", "García", "02134", "first line\nsecond line")),
                    // cells never closed end at the next; colspan leaves the covered cell empty; &nbsp; alone is empty
                    new RawRow(3, List.of("anna.muller@example.de", "Anna Müller", "", "01067")),
                    // a table inside a cell reads as its text, as a browser shows it; the page's second table is not read
                    new RawRow(4, List.of("tom.smith@example.com", "Tom & Jerry", "Smith-Ødegård", "", "nested")));
        }
    }

    @Test
    void aTableWithoutAPageAroundItIsReadTooAndAPageWithoutATableIsRefused() throws IOException {
        Path bare = Files.writeString(dir.resolve("bare.xls"), "<table><tr><td>Email</td></tr><tr><td>ann@example.com</td></tr></table>");
        try (RowSource source = TabularFiles.open(bare, ReadOptions.defaults())) {
            assertThat(readAll(source)).containsExactly(new RawRow(2, List.of("ann@example.com")));
        }
        Path page = Files.writeString(dir.resolve("page.xls"), "<!DOCTYPE html><html><body><p>Sorry, no data</p></body></html>");
        assertThatThrownBy(() -> TabularFiles.open(page, ReadOptions.defaults())).isInstanceOf(FileProblemException.class)
                .hasMessage("page.xls: not a CSV, TXT, XLSX, XLS, ODS or Excel 2003 XML file, nor one of them packed in a .gz or .zip (it looks like a web page (HTML))");
        // text that only starts with a "<" is still text
        Path csv = Files.writeString(dir.resolve("angle.csv"), "<Email>,Name\nann@example.com,Ann\n");
        try (RowSource source = TabularFiles.open(csv, ReadOptions.defaults())) {
            assertThat(source.description().kind()).isEqualTo(FileKind.CSV);
        }
    }
}
