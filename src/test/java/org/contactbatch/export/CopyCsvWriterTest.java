package org.contactbatch.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Rows as PostgreSQL's COPY … (FORMAT csv) sends them, and what the exported file gets. */
class CopyCsvWriterTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private String write(char delimiter, String... rows) throws IOException {
        CopyCsvWriter writer = new CopyCsvWriter(out, delimiter);
        for (String row : rows) {
            writer.writeRow(row.getBytes(StandardCharsets.UTF_8));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainRowsPassAsTheyAreAndEndWithCrLf() throws IOException {
        assertThat(write(',', "1,0,ana@example.com,\"Smith, Jr.\",,\"\"\n", "2,3,Zoë,\"say \"\"hi\"\"\",01234,x\n"))
                .isEqualTo("1,0,ana@example.com,\"Smith, Jr.\",,\"\"\r\n2,3,Zoë,\"say \"\"hi\"\"\",01234,x\r\n");
    }

    @Test
    void cellsThatCouldRunAsFormulasGetAnApostrophe() throws IOException {
        assertThat(write(',', "7,0,+1 212 555 0100,=1+2,@SUM(A1),-x,+1+2\n"))
                .isEqualTo("7,0,'+1 212 555 0100,'=1+2,'@SUM(A1),'-x,'+1+2\r\n");
    }

    @Test
    void insideQuotesTheApostropheGoesAfterTheOpeningQuote() throws IOException {
        assertThat(write(',', "8,0,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"\ruh\",\"-a\nb\"\n"))
                .isEqualTo("8,0,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"'\ruh\",\"'-a\nb\"\r\n");
    }

    @Test
    void aTabAtTheStartIsNeutralisedToo() throws IOException {
        assertThat(write(',', "9,0,\tx,a\tb\n")).isEqualTo("9,0,\"'\tx\",a\tb\r\n");
    }

    @Test
    void blanksAtEitherEndAreKeptInQuotes() throws IOException {
        assertThat(write(',', "14,0,Manager , Dr,a b,\" quoted \", +1 \n"))
                .isEqualTo("14,0,\"Manager \",\" Dr\",a b,\" quoted \",\" +1 \"\r\n");
    }

    @Test
    void plainNumbersStayAsTheyAre() throws IOException {
        assertThat(write(',', "10,0,-3,+3.5,-1.2e5,\"-4\",-\n")).isEqualTo("10,0,-3,+3.5,-1.2e5,\"-4\",'-\r\n");
    }

    @Test
    void lineBreaksInsideQuotedCellsStayAndOnlyTheRecordEndBecomesCrLf() throws IOException {
        assertThat(write(',', "11,0,\"line 1\nline 2\r\nline 3\",\"\n\"\n"))
                .isEqualTo("11,0,\"line 1\nline 2\r\nline 3\",\"\n\"\r\n");
    }

    @Test
    void anotherDelimiterSplitsTheCells() throws IOException {
        assertThat(write(';', "12;0;=x;a,=b;\"c;d\"\n")).isEqualTo("12;0;'=x;a,=b;\"c;d\"\r\n");
        out.reset();
        assertThat(write('\t', "13\t0\t\"\t=x\"\t+y\n")).isEqualTo("13\t0\t\"'\t=x\"\t'+y\r\n");
    }

    @Test
    void givesTheIdOfEachRow() throws IOException {
        CopyCsvWriter writer = new CopyCsvWriter(out, ',');
        assertThat(writer.writeRow("123456789,0,a\n".getBytes(StandardCharsets.UTF_8))).isEqualTo(123_456_789L);
        assertThat(writer.writeRow("42\n".getBytes(StandardCharsets.UTF_8))).isEqualTo(42L);
    }

    @Test
    void refusesWhatIsNotARowOfCopy() {
        CopyCsvWriter writer = new CopyCsvWriter(out, ',');
        assertThatThrownBy(() -> writer.writeRow("1,0,a".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("line feed");
        assertThatThrownBy(() -> writer.writeRow("x,0,a\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("id");
        assertThatThrownBy(() -> writer.writeRow("1,\"open\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("never closed");
    }

    @Test
    void theHeaderIsQuotedAndNeutralisedLikeTheRows() {
        assertThat(new String(CopyCsvWriter.header(List.of("id", "version", "custom:a,b", "custom:=x"), ','),
                StandardCharsets.UTF_8)).isEqualTo("id,version,\"custom:a,b\",custom:=x\r\n");
        assertThat(new String(CopyCsvWriter.header(List.of("=x", "b"), ';'), StandardCharsets.UTF_8))
                .isEqualTo("'=x;b\r\n");
    }
}
