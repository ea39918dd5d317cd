package org.contactbatch.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.contactbatch.files.TextFilesTest.readAll;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CSV, TXT or workbook packed alone in a .gz or a .zip reads as the file inside; bombs and odd archives are refused. */
class PackedFilesTest {

    private static final String CSV = "Email,First Name,Last Name,Postal Code\r\n"
            + "jose@example.org,José,García,01067\r\n"
            + "\"zoe@example.net\",Zoë,\"O'Connor, Jr.\",02134\r\n"
            + "bjorn@example.se,Björn,Ødegård,0150\r\n";

    @TempDir
    Path dir;

    @Test
    void aGzippedCsvReadsAsTheCsvWithItsLineNumbersAccentsAndLeadingZeros() throws IOException {
        Path file = gzip("contacts.csv.gz", CSV.getBytes(StandardCharsets.UTF_8));
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            assertThat(source.description().kind()).isEqualTo(FileKind.CSV);
            assertThat(source.description().path().getFileName().toString()).isEqualTo("contacts.csv");
            assertThat(source.header()).containsExactly("Email", "First Name", "Last Name", "Postal Code");
            assertThat(readAll(source)).containsExactly(
                    new RawRow(2, List.of("jose@example.org", "José", "García", "01067")),
                    new RawRow(3, List.of("zoe@example.net", "Zoë", "O'Connor, Jr.", "02134")),
                    new RawRow(4, List.of("bjorn@example.se", "Björn", "Ødegård", "0150")));
        }
    }

    @Test
    void aZipOfOneCsvReadsAsThatCsvAndMacOsLeftoversAreIgnored() throws IOException {
        Path file = zip("export.zip", new Entry("export/contacts.csv", CSV.getBytes(StandardCharsets.UTF_8)),
                new Entry("__MACOSX/export/._contacts.csv", new byte[] {0, 5, 22, 7}));
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            assertThat(readAll(source)).extracting(RawRow::line).containsExactly(2L, 3L, 4L);
        }
    }

    @Test
    void aWorkbookInAGzOrAZipIsReadAsAWorkbookWithTheSheetChosen() throws IOException {
        byte[] workbook = Files.readAllBytes(Path.of("sample-data/contacts.xlsx"));
        for (Path file : List.of(gzip("contacts.xlsx.gz", workbook), zip("contacts.zip", new Entry("contacts.xlsx", workbook)))) {
            try (RowSource source = TabularFiles.open(file, new ReadOptions(true, "Contacts", null, null))) {
                assertThat(source.description().kind()).as(file.toString()).isEqualTo(FileKind.XLSX);
                List<RawRow> rows = readAll(source);
                assertThat(rows).hasSize(20);
                int postal = source.header().indexOf("Postal Code");
                assertThat(rows).extracting(row -> row.cell(postal)).contains("02134", "01067");
            }
        }
    }

    @Test
    void aProblemInsideNamesBothFilesAndTheLine() throws IOException {
        Path file = gzip("broken.csv.gz", "Email,Name\na@example.com,Ann\n\"b@example.com,Bob\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> {
            try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
                readAll(source);
            }
        }).isInstanceOf(FileProblemException.class)
                .hasMessage("broken.csv.gz: broken.csv, line 3: a quoted field is not closed (started at line 3)");
    }

    @Test
    void bombsAreRefusedWhileUnpacking() throws IOException {
        byte[] huge = ("Email\n" + "a@example.com\n".repeat(2_000_000)).getBytes(StandardCharsets.US_ASCII);
        Path gz = gzip("bomb.csv.gz", huge);
        Path zip = zip("bomb.zip", new Entry("bomb.csv", huge));
        assertThat(Files.size(gz) * PackedFiles.MAX_RATIO).isLessThan(huge.length);
        for (Path file : List.of(gz, zip)) {
            assertThatThrownBy(() -> TabularFiles.open(file, ReadOptions.defaults()))
                    .isInstanceOf(FileProblemException.class)
                    .hasMessage(file.getFileName() + ": refused: it would unpack to far more data than its size suggests "
                            + "(more than 100 times, a possible zip bomb)");
        }
    }

    @Test
    void anArchiveOfSeveralFilesNoFileOrAnotherArchiveIsRefused() throws IOException {
        byte[] csv = CSV.getBytes(StandardCharsets.UTF_8);
        assertProblem(zip("two.zip", new Entry("a.csv", csv), new Entry("b.csv", csv)),
                "two.zip: the ZIP archive holds 2 files (a.csv, b.csv); it must hold one CSV, TXT or workbook: upload them one by one");
        assertProblem(zip("empty.zip", new Entry("folder/", new byte[0])), "empty.zip: the ZIP archive holds no file");
        byte[] inner = Files.readAllBytes(gzip("inner.csv.gz", csv));
        assertProblem(zip("nested.zip", new Entry("inner.csv.gz", inner)),
                "nested.zip: inner.csv.gz: an archive inside an archive; unpack it and upload the file inside");
        Path cut = dir.resolve("cut.csv.gz");
        byte[] whole = Files.readAllBytes(gzip("whole.csv.gz", csv));
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertProblem(cut, "cut.csv.gz: cannot be unpacked (Unexpected end of ZLIB input stream)");
    }

    private void assertProblem(Path file, String message) {
        assertThatThrownBy(() -> {
            try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
                readAll(source);
            }
        }).isInstanceOf(FileProblemException.class).hasMessage(message);
    }

    private record Entry(String name, byte[] bytes) {
    }

    private Path gzip(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(bytes);
        }
        return file;
    }

    private Path zip(String name, Entry... entries) throws IOException {
        Path file = dir.resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Entry entry : entries) {
                zip.putNextEntry(new ZipEntry(entry.name()));
                zip.write(entry.bytes());
                zip.closeEntry();
            }
        }
        return file;
    }
}
