package org.contactbatch.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/** How the staging of every import splits a file by the lines its rows start on. */
class StagingStepsTest {

    @Test
    void aLargeTextFileIsSplitInEqualSharesTheLastReadingToTheEnd() {
        assertThat(ranges(StagingSteps.byLine(30_000, 1_000, 3))).containsExactly(
                "rows0=0..10001", "rows1=10001..20001", "rows2=20001..end");
    }

    @Test
    void aFileBelowTheMinimumOrWithoutAnEstimateIsReadWholeByOnePartition() {
        assertThat(ranges(StagingSteps.byLine(999, 1_000, 2))).containsExactly("rows0=0..end");
        assertThat(ranges(StagingSteps.byLine(-1, 1_000, 2))).containsExactly("rows0=0..end");
    }

    private static List<String> ranges(Map<String, ExecutionContext> partitions) {
        return partitions.entrySet().stream().map(e -> {
            long end = e.getValue().getLong(StagingSteps.END_LINE);
            return e.getKey() + "=" + e.getValue().getLong(StagingSteps.FIRST_LINE) + ".."
                    + (end == Long.MAX_VALUE ? "end" : Long.toString(end));
        }).toList();
    }
}
