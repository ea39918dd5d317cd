package org.contactbatch.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextFilesTest {

    @TempDir
    Path dir;

    // ---- delimiters and encodings ----

    @ParameterizedTest
    @ValueSource(chars = {',', ';', '\t', '|'})
    void detectsTheDelimiter(char delimiter) throws IOException {
        String d = String.valueOf(delimiter);
        Path file = write("contacts.csv", String.join("\n",
                String.join(d, "Name", "Email", "Phone"),
                String.join(d, "Ann", "ann@example.com", "+1 212 555 0100"),
                String.join(d, "Bob", "bob@example.com", "0044 20 7946 0000")) + "\n");

        List<RawRow> rows;
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            assertThat(source.description().delimiter()).isEqualTo(delimiter);
            assertThat(source.header()).containsExactly("Name", "Email", "Phone");
            rows = readAll(source);
        }
        assertThat(rows).extracting(RawRow::cells).containsExactly(
                List.of("Ann", "ann@example.com", "+1 212 555 0100"),
                List.of("Bob", "bob@example.com", "0044 20 7946 0000"));
    }

    @Test
    void excelsSeparatorLineNamesTheDelimiterAndIsNotTheHeader() throws IOException {
        Path file = write("excel.csv", "sep=;\r\nName;Email;Amount\r\nAnn;ann@example.com;1,5\r\nBob;\"bob@\nexample.com\";2\r\n");
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            assertThat(source.description().delimiter()).isEqualTo(';');
            assertThat(source.header()).containsExactly("Name", "Email", "Amount");
            List<RawRow> rows = readAll(source);
            assertThat(rows).extracting(RawRow::cells).containsExactly(
                    List.of("Ann", "ann@example.com", "1,5"), List.of("Bob", "bob@\nexample.com", "2"));
            // the file's own line numbers: the hint is line 1, the header line 2
            assertThat(rows).extracting(RawRow::line).containsExactly(3L, 4L);
        }
    }

    @Test
    void theSeparatorLineInUtf16WithABomAndQuotedAsSomeToolsWriteIt() throws IOException {
        Path file = dir.resolve("excel16.csv");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[] {(byte) 0xFF, (byte) 0xFE});
        bytes.write("\"sep=|\"\nName|Email\nAnn|ann@example.com\n".getBytes(StandardCharsets.UTF_16LE));
        Files.write(file, bytes.toByteArray());
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            assertThat(source.description().delimiter()).isEqualTo('|');
            assertThat(source.header()).containsExactly("Name", "Email");
            assertThat(readAll(source)).singleElement().satisfies(row -> {
                assertThat(row.cells()).containsExactly("Ann", "ann@example.com");
                assertThat(row.line()).isEqualTo(3L);
            });
        }
    }

    @Test
    void aDelimiterGivenWinsOverTheSeparatorLineWhichIsStillNotTheHeader() throws IOException {
        Path file = write("excel.csv", "sep=,\nName;Email\nAnn;ann@example.com\n");
        try (RowSource source = TabularFiles.open(file, new ReadOptions(true, null, null, ';'))) {
            assertThat(source.header()).containsExactly("Name", "Email");
        }
    }

    @Test
    void semicolonsWinOverDecimalCommas() throws IOException {
        Path file = write("amounts.csv", "Name;Amount;Note\nAnn;1,5;x\nBob;2,25;y, z\n");
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            assertThat(source.description().delimiter()).isEqualTo(';');
            assertThat(source.next().cells()).containsExactly("Ann", "1,5", "x");
        }
    }

    @Test
    void singleColumnFileGetsComma() throws IOException {
        Path file = write("emails.txt", "Email\nann@example.com\nbob@example.com\n");
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            assertThat(source.description().delimiter()).isEqualTo(',');
            assertThat(source.header()).containsExactly("Email");
            assertThat(readAll(source)).extracting(r -> r.cell(0)).containsExactly("ann@example.com", "bob@example.com");
        }
    }

    @Test
    void utf8WithoutBom() throws IOException {
        Path file = write("utf8.csv", "Name,City\nJosé,Zürich\nØdegård,Tromsø\n");
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            assertThat(source.description().charset()).isEqualTo(StandardCharsets.UTF_8);
            assertThat(source.description().bom()).isFalse();
            assertThat(source.description().describe()).isEqualTo("CSV, UTF-8, delimiter ','");
            assertThat(readAll(source)).extracting(RawRow::cells)
                    .containsExactly(List.of("José", "Zürich"), List.of("Ødegård", "Tromsø"));
        }
    }

    @Test
    void utf8WithBomHasTheBomStripped() throws IOException {
        Path file = dir.resolve("bom.csv");
        Files.write(file, concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                "Name;Email\nFrançoise;f@example.com\n".getBytes(StandardCharsets.UTF_8)));
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            assertThat(source.header()).containsExactly("Name", "Email");
            assertThat(source.description().describe()).isEqualTo("CSV, UTF-8 with BOM, delimiter ';'");
            assertThat(source.next()).isEqualTo(new RawRow(2, List.of("Françoise", "f@example.com")));
        }
    }

    @Test
    void utf16LittleEndianWithBom() throws IOException {
        Path file = dir.resolve("utf16.txt");
        Files.write(file, concat(new byte[] {(byte) 0xFF, (byte) 0xFE},
                "Name\tCity\r\nMüller\tKöln\r\n".getBytes(StandardCharsets.UTF_16LE)));
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            assertThat(source.description().charset()).isEqualTo(StandardCharsets.UTF_16LE);
            assertThat(source.description().delimiter()).isEqualTo('\t');
            assertThat(source.header()).containsExactly("Name", "City");
            assertThat(source.next()).isEqualTo(new RawRow(2, List.of("Müller", "Köln")));
        }
    }

    @Test
    void windows1252WithAccentedNames() throws IOException {
        Charset cp1252 = Charset.forName("windows-1252");
        Path file = dir.resolve("legacy.csv");
        Files.write(file, ("First name;Last name\r\nJosé;García\r\nHans;Müller\r\nFrançoise;Lefèvre\r\n"
                + "Øyvind;Ødegård\r\n").getBytes(cp1252));
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            assertThat(source.description().charset()).isEqualTo(cp1252);
            assertThat(readAll(source)).extracting(RawRow::cells).containsExactly(
                    List.of("José", "García"), List.of("Hans", "Müller"),
                    List.of("Françoise", "Lefèvre"), List.of("Øyvind", "Ødegård"));
        }
    }

    @Test
    void encodingIsDecidedByTheFirstNonAsciiTextEvenPastTheSample() throws IOException {
        StringBuilder ascii = new StringBuilder("Name;City\r\n");
        while (ascii.length() < TabularFiles.SAMPLE_BYTES * 2) {
            ascii.append("Adams;Boston\r\n");
        }
        String accented = "José;São Paulo\r\nHans Müller;Köln\r\n";

        Charset cp1252 = Charset.forName("windows-1252");
        Path legacy = dir.resolve("sorted-1252.csv");
        Files.write(legacy, (ascii + accented).getBytes(cp1252));
        try (RowSource source = TabularFiles.open(legacy, ReadOptions.defaults())) {
            assertThat(source.description().charset()).isEqualTo(cp1252);
            assertThat(readAll(source)).last().extracting(RawRow::cells).isEqualTo(List.of("Hans Müller", "Köln"));
        }
        Path modern = dir.resolve("sorted-utf8.csv");
        Files.write(modern, (ascii + accented).getBytes(StandardCharsets.UTF_8));
        try (RowSource source = TabularFiles.open(modern, ReadOptions.defaults())) {
            assertThat(source.description().charset()).isEqualTo(StandardCharsets.UTF_8);
            assertThat(readAll(source)).last().extracting(RawRow::cells).isEqualTo(List.of("Hans Müller", "Köln"));
        }
    }

    @Test
    void givenCharsetAndDelimiterOverrideDetection() throws IOException {
        Path file = dir.resolve("forced.csv");
        Files.write(file, "a,b;c\nJosé,x;y\n".getBytes(StandardCharsets.ISO_8859_1));
        ReadOptions options = new ReadOptions(true, null, StandardCharsets.ISO_8859_1, ';');
        try (RowSource source = TabularFiles.open(file, options)) {
            assertThat(source.header()).containsExactly("a,b", "c");
            assertThat(source.next().cells()).containsExactly("José,x", "y");
        }
    }

    // ---- quoting and line numbers ----

    @Test
    void quotedCommasQuotesAndLineBreaksKeepTheLineWhereEachRecordStarts() throws IOException {
        Path file = write("quoted.csv", String.join("\r\n",
                "Name,Note,Phone",                      // line 1
                "\"Smith, Ann\",\"said \"\"hi\"\"\",+1 212 555 0100", // line 2
                "\"Bob\",\"two",                        // line 3
                "lines\",  0123  ",                     // line 4
                "",                                     // line 5 (blank)
                "Carl,\"three",                         // line 6
                "",                                     // line 7 (inside quotes)
                "lines\",x",                            // line 8
                "",                                     // line 9
                "",                                     // line 10
                "Dora, \" padded \" ,y"                 // line 11, no final line break
        ));
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            assertThat(readAll(source)).containsExactly(
                    new RawRow(2, List.of("Smith, Ann", "said \"hi\"", "+1 212 555 0100")),
                    new RawRow(3, List.of("Bob", "two\r\nlines", "0123")),
                    new RawRow(6, List.of("Carl", "three\r\n\r\nlines", "x")),
                    new RawRow(11, List.of("Dora", " padded ", "y")));
        }
    }

    @Test
    void blankLinesAndLfEndingsCount() throws IOException {
        Path file = write("blank.csv", "\n\nName,Email\n\nAnn,a@x.org\n   \n,\nBob,b@x.org\n\n");
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            assertThat(source.header()).containsExactly("Name", "Email");
            assertThat(readAll(source)).containsExactly(
                    new RawRow(5, List.of("Ann", "a@x.org")),
                    new RawRow(8, List.of("Bob", "b@x.org")));
        }
    }

    @Test
    void withoutHeaderEveryRowIsDataAndColumnsAreNumbered() throws IOException {
        Path file = write("plain.csv", "Ann,a@x.org,1\nBob,b@x.org\n");
        try (RowSource source = TabularFiles.open(file, new ReadOptions(false, null, null, null))) {
            assertThat(source.header()).containsExactly("column 1", "column 2", "column 3");
            assertThat(readAll(source)).containsExactly(
                    new RawRow(1, List.of("Ann", "a@x.org", "1")),
                    new RawRow(2, List.of("Bob", "b@x.org")));
        }
    }

    @Test
    void apostropheGuardedCellsAreRestored() throws IOException {
        Path file = write("guarded.csv", "'Name,Phone\n'=1+2,'+1 212 555 0100\n'abc,'-3\n");
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            assertThat(source.header()).containsExactly("'Name", "Phone");
            assertThat(readAll(source)).extracting(RawRow::cells).containsExactly(
                    List.of("=1+2", "+1 212 555 0100"), List.of("'abc", "-3"));
        }
    }

    // ---- headers ----

    @Test
    void blankHeaderCellsAtTheEndAreDroppedWithTheEmptyCellsUnderThem() throws IOException {
        Path file = write("trailing.csv", "Name,Email,,\nAnn,a@x.org,,\nBob,b@x.org,,extra\n");
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            assertThat(source.header()).containsExactly("Name", "Email");
            assertThat(readAll(source)).extracting(RawRow::cells).containsExactly(
                    List.of("Ann", "a@x.org"), List.of("Bob", "b@x.org", "", "extra"));
        }
    }

    @Test
    void duplicateHeaderIsRefused() throws IOException {
        Path file = write("dup.csv", "Name,Email,Phone,City, email \nAnn,a,b,c,d\n");
        assertProblem(file, "dup.csv: line 1: column 'Email' appears twice (columns 2 and 5)");
    }

    @Test
    void blankHeaderInTheMiddleIsRefused() throws IOException {
        Path file = write("gap.csv", "\nName,Email,Phone,,City\nAnn,a,b,c,d\n");
        assertProblem(file, "gap.csv: line 2: column 4 has no header");
    }

    // ---- files that are not tables ----

    @Test
    void headerOnly() throws IOException {
        assertProblem(write("header.csv", "Name,Email\r\n\r\n"), "header.csv: has a header row but no data rows");
    }

    @Test
    void emptyFiles() throws IOException {
        assertProblem(write("zero.csv", ""), "zero.csv: the file is empty");
        assertProblem(write("blank.csv", "\r\n \n\t\n  "), "blank.csv: the file is empty");
    }

    @Test
    void missingFileAndFolder() {
        assertProblem(dir.resolve("nope.csv"), "nope.csv: the file does not exist");
        assertProblem(dir, dir.getFileName() + ": is a folder, not a file");
    }

    @Test
    void pdfIsRefused() throws IOException {
        Path file = dir.resolve("people.csv");
        Files.write(file, concat("%PDF-1.7\n%âãÏÓ\n1 0 obj\n".getBytes(StandardCharsets.ISO_8859_1), new byte[] {0, 1, 2}));
        assertProblem(file, "people.csv: not a CSV, TXT, XLSX, XLS, ODS or Excel 2003 XML file, nor one of them packed in a .gz or .zip (it looks like a PDF)");
    }

    @Test
    void zipThatIsNotAWorkbookIsReadAsTheOneFileInsideAndRefusedForWhatThatIs() throws IOException {
        // named .xlsx, but a plain archive: what counts is the file inside (PackedFilesTest has the archives)
        Path file = dir.resolve("contacts.xlsx");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("readme.txt"));
            zip.write("hello".getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
        }
        assertProblem(file, "contacts.xlsx: readme.txt: has a header row but no data rows");
    }

    @Test
    void binaryGarbageIsRefused() throws IOException {
        Path file = dir.resolve("photo.csv");
        byte[] bytes = new byte[4096];
        new java.util.Random(7).nextBytes(bytes);
        bytes[0] = 'x';
        Files.write(file, bytes);
        assertProblem(file, "photo.csv: not a CSV, TXT, XLSX, XLS, ODS or Excel 2003 XML file, nor one of them packed in a .gz or .zip (it looks like a binary file)");
    }

    @Test
    void nulBytesAfterTheSampleAreReportedWithTheirLine() throws IOException {
        StringBuilder text = new StringBuilder("Name,Email\n");
        int line = 1;
        while (text.length() < TabularFiles.SAMPLE_BYTES + 1000) {
            text.append("Ann,ann@example.com\n");
            line++;
        }
        text.append("Bob,b\0b\n");
        assertProblem(write("nul.csv", text.toString()), "nul.csv: line " + (line + 1) + ": contains a NUL character");
    }

    @Test
    void invalidUtf8AfterTheSampleIsReportedWithItsLine() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("Name,City\nJosé,Zürich\n".getBytes(StandardCharsets.UTF_8));
        int line = 2;
        while (bytes.size() < TabularFiles.SAMPLE_BYTES + 1000) {
            bytes.writeBytes("Ann,Bern\n".getBytes(StandardCharsets.UTF_8));
            line++;
        }
        bytes.writeBytes("Ren\u00e9,Paris\n".getBytes(Charset.forName("windows-1252")));
        Path file = dir.resolve("mixed.csv");
        Files.write(file, bytes.toByteArray());
        assertProblem(file, "mixed.csv: line " + (line + 1) + ": the text is not valid UTF-8");
    }

    @Test
    void utf8AndWindowsLinesPastedTogetherAreRefusedAtTheFirstWindowsLineNotGarbled() throws IOException {
        // two exports in one file: lines 2, 3 and 5 are UTF-8, line 4 windows-1252 (the fixture the upload test uses too)
        Path file = Path.of("src/test/resources/files/mixed-encodings.csv");
        assertProblem(file, "mixed-encodings.csv: line 4: the text is not valid UTF-8, though the lines before it are "
                + "(two encodings in one file?); save the whole file as UTF-8, or give --encoding if all of it is in "
                + "one other encoding");
        // what was read before the refusal is the UTF-8 lines, every accent right
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            assertThat(source.description().charset()).isEqualTo(StandardCharsets.UTF_8);
            assertThat(source.next().cells()).containsExactly("jose@example.org", "José", "García", "Málaga");
            assertThat(source.next().cells()).containsExactly("anna@example.de", "Anna", "Müller", "Zürich");
            assertThatThrownBy(source::next).isInstanceOf(FileProblemException.class);
        }
    }

    @Test
    void mixedEncodingsPastTheSampleAreRefusedTheSameWay() throws IOException {
        StringBuilder ascii = new StringBuilder("Name;City\r\n");
        while (ascii.length() < TabularFiles.SAMPLE_BYTES * 2) {
            ascii.append("Adams;Boston\r\n");
        }
        long lines = ascii.chars().filter(c -> c == '\n').count();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(ascii.toString().getBytes(StandardCharsets.US_ASCII));
        bytes.writeBytes("José;São Paulo\r\n".getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes("René;Besançon\r\n".getBytes(Charset.forName("windows-1252")));
        Path file = Files.write(dir.resolve("sorted-mixed.csv"), bytes.toByteArray());
        assertProblem(file, "sorted-mixed.csv: line " + (lines + 2) + ": the text is not valid UTF-8, though the lines before it are");
    }

    /**
     * A later part of a file starts at its first line's byte, without decoding what is before it; its problems are
     * worded as the whole file's are, text beyond ASCII before them included.
     */
    @Test
    void aLaterPartRefusesBadBytesInTheWordsTheWholeFileGets() throws IOException {
        for (boolean accentFirst : new boolean[] {true, false}) {
            StringBuilder text = new StringBuilder("Name;City\r\n").append(accentFirst ? "José;São Paulo\r\n" : "Jose;Sao Paulo\r\n");
            while (text.length() < TabularFiles.SAMPLE_BYTES * 2) {
                text.append("Adams;\"Boston,\nMA\"\r\n");
            }
            long lines = text.chars().filter(c -> c == '\n').count();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
            // a windows-1252 é, then a UTF-8 ë: the file is UTF-8 with one bad byte, and nothing beyond ASCII before it
            // unless the second line has its accents
            bytes.writeBytes("René;".getBytes(Charset.forName("windows-1252")));
            bytes.writeBytes("Zoë\r\n".getBytes(StandardCharsets.UTF_8));
            Path file = Files.write(dir.resolve("later-part.csv"), bytes.toByteArray());
            Throwable refused = catchThrowable(() -> {
                try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
                    readAll(source);
                }
            });
            assertThat(refused).isInstanceOf(FileProblemException.class);
            String whole = refused.getMessage();
            assertThat(whole).startsWith("later-part.csv: line " + (lines + 1) + ": the text is not valid UTF-8"
                    + (accentFirst ? ", though the lines before it are" : " (is it a binary file"));
            try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
                // a record of the part starts on an odd line: each row before it holds a quoted line break
                long split = lines - 7;
                source.startAt(split);
                RawRow first = source.next();
                assertThat(first.line()).isEqualTo(split);
                assertThat(first.cells()).containsExactly("Adams", "Boston,\nMA");
                assertThatThrownBy(() -> readAll(source)).isInstanceOf(FileProblemException.class).hasMessage(whole);
            }
        }
    }

    /** A later part that meets a problem tells the file's first one, which may lie in the bytes it skipped. */
    @Test
    void aLaterPartTellsTheFilesFirstProblemEvenWhenItIsBeforeThePart() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("Name;City\r\nJosé;São Paulo\r\n".getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes("René;Besançon\r\n".getBytes(Charset.forName("windows-1252"))); // line 3
        long lines = 3;
        while (bytes.size() < TabularFiles.SAMPLE_BYTES * 2) {
            bytes.writeBytes("Adams;Boston\r\n".getBytes(StandardCharsets.UTF_8));
            lines++;
        }
        bytes.writeBytes("Zoé;".getBytes(Charset.forName("windows-1252"))); // the part's own problem
        bytes.writeBytes("Zoë\r\n".getBytes(StandardCharsets.UTF_8));
        Path file = Files.write(dir.resolve("two-problems.csv"), bytes.toByteArray());
        String first = "two-problems.csv: line 3: the text is not valid UTF-8";
        assertProblem(file, first);
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            source.startAt(lines - 10);
            assertThat(source.next().cells()).containsExactly("Adams", "Boston");
            assertThatThrownBy(() -> readAll(source)).isInstanceOf(FileProblemException.class)
                    .hasMessageStartingWith(first + ", though the lines before it are");
        }
    }

    @Test
    void aWindowsFileHoldingAByteSequenceThatIsUtf8IsReadWithTheEncodingGiven() throws IOException {
        // "Ã©" in a windows-1252 file is the two bytes of a UTF-8 "é": taken for UTF-8, and refused with what to do
        Charset cp1252 = Charset.forName("windows-1252");
        Path file = Files.write(dir.resolve("odd-1252.csv"), "Name;Note\r\nRené;Ã© in the text\r\nZoë;x\r\n".getBytes(cp1252));
        assertProblem(file, "odd-1252.csv: line 2: the text is not valid UTF-8");
        try (RowSource source = TabularFiles.open(file, new ReadOptions(true, null, cp1252, null))) {
            assertThat(readAll(source)).extracting(RawRow::cells).containsExactly(
                    List.of("René", "Ã© in the text"), List.of("Zoë", "x"));
        }
    }

    // ---- broken quoting and oversized cells ----

    @Test
    void aCharacterBeyondUFFFFWhereTheReadBufferHasRoomForOneCharIsRead() {
        // a value of 65,535 chars (trailing blanks are allowed past the cell limit) fills the parser's 64K buffer but
        // one char, and the emoji after it needs two: it is read, and the cell, no longer blank at its end, refused
        Path file = dir.resolve("wide.csv");
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Files.writeString(file, "Email,Note\nann@example.org,a" + " ".repeat(65_534) + "\uD83D\uDE00\n",
                    StandardCharsets.UTF_8);
            assertThatThrownBy(() -> {
                try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
                    readAll(source);
                }
            }).isInstanceOf(FileProblemException.class).hasMessageContaining("32,767 characters");
        });
    }

    @Test
    void unclosedQuoteReportsTheLineWhereTheRecordStarts() throws IOException {
        Path file = write("contacts.csv", "Name,Note\nAnn,ok\nBob,\"never closed\nCarl,x\nDora,y\n");
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            assertThat(source.next()).isEqualTo(new RawRow(2, List.of("Ann", "ok")));
            assertThatThrownBy(source::next)
                    .isInstanceOf(FileProblemException.class)
                    .hasMessage("contacts.csv: line 3: a quoted field is not closed (started at line 3)");
        }
    }

    @Test
    void textAfterAClosingQuoteIsRefusedWithItsLine() throws IOException {
        Path file = write("contacts.csv", "Name,Note\nAnn,ok\nBob,\"5\" tall\",x\n");
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            source.next();
            assertThatThrownBy(source::next)
                    .isInstanceOf(FileProblemException.class)
                    .hasMessageStartingWith("contacts.csv: line 3: unexpected text after the closing quote");
        }
    }

    @Test
    void strayQuoteInsideAnUnquotedValueIsJustText() throws IOException {
        Path file = write("inches.csv", "Name,Height\nBob,5\" tall\nAnn,6'\n");
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            assertThat(readAll(source)).extracting(r -> r.cell(1)).containsExactly("5\" tall", "6'");
        }
    }

    @Test
    void overlongQuotedCellStopsBeforeBufferingTheRestOfTheFile() throws IOException {
        StringBuilder text = new StringBuilder("Name,Note\nAnn,ok\n\nBob,\"unclosed");
        while (text.length() < 200_000) {
            text.append("\nCarl,more text that is now inside the quote");
        }
        Path file = write("long.csv", text.toString());
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            assertThat(source.next()).isEqualTo(new RawRow(2, List.of("Ann", "ok")));
            assertThatThrownBy(source::next)
                    .isInstanceOf(FileProblemException.class)
                    .hasMessageStartingWith("long.csv: line 4: a cell is longer than 32,767 characters — probably an unclosed quote");
        }
    }

    @Test
    void cellsUpToExcelsLimitAreFineAndOneMoreIsNot() throws IOException {
        String max = "x".repeat(CsvParser.MAX_CELL);
        Path ok = write("max.csv", "Note,Other\n\"" + max.replace("x\"", "") + "\",  " + max + "   \n");
        try (RowSource source = TabularFiles.open(ok, ReadOptions.defaults())) {
            RawRow row = source.next();
            assertThat(row.cell(0)).hasSize(CsvParser.MAX_CELL);
            assertThat(row.cell(1)).hasSize(CsvParser.MAX_CELL);
        }
        Path tooLong = write("over.csv", "Note\nfine\n" + max + "x\n");
        try (RowSource source = TabularFiles.open(tooLong, ReadOptions.defaults())) {
            source.next();
            assertThatThrownBy(source::next).hasMessageStartingWith("over.csv: line 3: a cell is longer than 32,767 characters");
        }
    }

    @Test
    void quotesInsideQuotedValuesCountOnceTowardsTheLimit() throws IOException {
        String quotes = "\"\"".repeat(CsvParser.MAX_CELL); // 32,767 quote characters once unescaped
        Path file = write("quotes.csv", "Note\n\"" + quotes + "\"\n");
        try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
            assertThat(source.next().cell(0)).hasSize(CsvParser.MAX_CELL);
        }
    }

    @Test
    void runawayRowsAreStoppedByColumnsAndBySize() throws IOException {
        Path wide = write("wide.csv", "Name\nAnn\n" + ",".repeat(CsvParser.MAX_COLUMNS) + "\n");
        assertProblem(wide, "wide.csv: line 3: a row has more than 16,384 columns");
        String cell = "y".repeat(CsvParser.MAX_CELL);
        Path huge = write("huge.csv", "Name\nAnn\n" + (cell + ",").repeat(200) + "\n");
        assertProblem(huge, "huge.csv: line 3: a row is longer than 4,194,304 characters");
    }

    // ---- helpers ----

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    static List<RawRow> readAll(RowSource source) {
        List<RawRow> rows = new ArrayList<>();
        RawRow row;
        while ((row = source.next()) != null) {
            rows.add(row);
        }
        return rows;
    }

    private static void assertProblem(Path file, String messageStart) {
        assertThatThrownBy(() -> {
            try (RowSource source = TabularFiles.open(file, ReadOptions.defaults())) {
                readAll(source);
            }
        })
                .isInstanceOf(FileProblemException.class)
                .hasMessageStartingWith(messageStart)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
