package org.contactbatch.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CellSafetyTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "=1+2|'=1+2",
            "+1 212 555 0100|'+1 212 555 0100",
            "-cmd|'-cmd",
            "@SUM(A1)|'@SUM(A1)",
            "=HYPERLINK(\"http://x\",\"y\")|'=HYPERLINK(\"http://x\",\"y\")",
            "-3|-3",
            "+3.5|+3.5",
            "-1.5e3|-1.5e3",
            "Ann|Ann",
            "'abc|'abc",
            "a=b|a=b",
    })
    void neutralisesFormulasButNotPlainNumbers(String cell, String expected) {
        assertThat(CellSafety.neutralise(cell)).isEqualTo(expected);
        assertThat(CellSafety.restore(CellSafety.neutralise(cell))).isEqualTo(cell);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\tindented", "\rreturn", "", "x", "'", "''", "0123", "-"})
    void roundTrips(String cell) {
        assertThat(CellSafety.restore(CellSafety.neutralise(cell))).isEqualTo(cell);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {"'=1+2|=1+2", "'+1 212 555 0100|+1 212 555 0100", "'abc|'abc", "'-3|-3", "'@x|@x"})
    void restoresOnlyGuardedCells(String cell, String expected) {
        assertThat(CellSafety.restore(cell)).isEqualTo(expected);
    }
}
