package org.contactbatch.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.contactbatch.support.ContactBatchTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rows sent by COPY come back from PostgreSQL exactly as given, however the text falls into the pieces it is encoded
 * and sent in: escapes, nulls, arrays, JSON, letters beyond Latin-1 and a surrogate pair on a piece boundary.
 */
@ContactBatchTest
class CopyRowsTest {

    private static final String COPY = "copy copy_rows_test (n, t, a, j, b) from stdin";

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @BeforeEach
    void table() {
        jdbc.sql("create table copy_rows_test (n bigint, t text, a text[], j jsonb, b boolean)").update();
    }

    @AfterEach
    void drop() {
        jdbc.sql("drop table copy_rows_test").update();
    }

    @Test
    void everyValueComesBackAsSent() {
        // the first row starts "0\t": its text's emoji then has its first byte at the end of the first 65,536-byte
        // piece the rows are sent in and its other three in the next
        List<String> texts = new ArrayList<>(List.of("x".repeat(65_536 - 2 - 1) + "😀" + "y".repeat(10), "plain",
                "tab\there", "line\nbreak", "cr\rlf", "back\\slash", "\\N", "é, ü and 名前", "emoji 😀 end", ""));
        texts.add("z".repeat(100_000));
        CopyRows rows = new CopyRows();
        Map<String, String> json = new LinkedHashMap<>();
        json.put("quote \" and \\", "line\nbreak\u0001");
        json.put("名", "😀");
        for (int i = 0; i < texts.size(); i++) {
            rows.number(i).text(texts.get(i)).array(List.of("a\"b", "c\\d", texts.get(i))).json(json).bool(i % 2 == 0)
                    .endRow();
        }
        rows.number(texts.size()).text(null).array(List.of()).json(Map.of()).bool(null).endRow();

        long copied = transactions.execute(status -> rows.copyInto(dataSource, COPY));

        assertThat(copied).isEqualTo(texts.size() + 1);
        for (int i = 0; i < texts.size(); i++) {
            Map<String, Object> row = jdbc.sql("select t, a::text as a, j ->> 'quote \" and \\' as j1, j ->> '名' as j2, b"
                    + " from copy_rows_test where n = ?").param(i).query().singleRow();
            assertThat(row.get("t")).as("text %d", i).isEqualTo(texts.get(i));
            assertThat(jdbc.sql("select a[3] from copy_rows_test where n = ?").param(i).query(String.class).single())
                    .isEqualTo(texts.get(i));
            assertThat(jdbc.sql("select array_to_string(a[1:2], '|') from copy_rows_test where n = ?").param(i)
                    .query(String.class).single()).isEqualTo("a\"b|c\\d");
            assertThat(row.get("j1")).isEqualTo("line\nbreak\u0001");
            assertThat(row.get("j2")).isEqualTo("😀");
            assertThat(row.get("b")).isEqualTo(i % 2 == 0);
        }
        Map<String, Object> empty = jdbc.sql("select t, cardinality(a) as a, j::text as j, b from copy_rows_test where n = ?")
                .param(texts.size()).query().singleRow();
        assertThat(empty).containsEntry("t", null).containsEntry("a", 0).containsEntry("j", "{}").containsEntry("b", null);
        assertThat(rows.rows()).as("sent rows are cleared").isZero();
    }

    @Test
    void aLoneSurrogateWhichNoEncodingHoldsArrivesAsAQuestionMark() {
        CopyRows rows = new CopyRows();
        rows.number(1).text("lone \uD800 high, lone \uDC00 low, last \uD83D").array(List.of()).json(Map.of()).bool(true)
                .endRow();

        transactions.execute(status -> rows.copyInto(dataSource, COPY));

        assertThat(jdbc.sql("select t from copy_rows_test where n = 1").query(String.class).single())
                .isEqualTo("lone ? high, lone ? low, last ?");
    }

    @Test
    void aRefusedCopyFailsTheTransactionAndKeepsNothing() {
        CopyRows rows = new CopyRows();
        rows.number(1).text("fine").array(List.of()).json(Map.of()).bool(true).endRow();
        rows.text("not a number").text("x").array(List.of()).json(Map.of()).bool(true).endRow();

        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> rows.copyInto(dataSource, COPY)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("COPY failed")
                .hasMessageContaining("bigint");
        assertThat(jdbc.sql("select count(*) from copy_rows_test").query(Long.class).single()).isZero();
    }
}
