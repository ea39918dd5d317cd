package org.contactbatch.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a person reads of a failure kept in the job repository as a stack trace. */
class FailuresTest {

    @Test
    void theApplicationsOwnWordsWinOverTheWrappersAndTheirCause() {
        String kept = """
                org.springframework.batch.core.step.FatalStepExecutionException: Unable to process chunk
                \tat org.springframework.batch.core.step.item.ChunkOrientedStep.doExecute(ChunkOrientedStep.java:1)
                Caused by: org.springframework.batch.core.step.skip.NonSkippableReadException: Skip policy rejected skipping item
                \tat org.springframework.batch.core.step.item.ChunkOrientedStep.read(ChunkOrientedStep.java:2)
                Caused by: org.contactbatch.files.FileProblemException: b.csv: line 4: the text is not valid UTF-8
                \tat org.contactbatch.files.CsvRecords.problem(CsvRecords.java:3)
                Caused by: java.nio.charset.MalformedInputException: Input length = 1
                \tat org.contactbatch.files.StrictDecodingReader.decodeUtf8(StrictDecodingReader.java:4)
                """;
        assertThat(Failures.readableMessage(kept)).isEqualTo("b.csv: line 4: the text is not valid UTF-8");
    }

    @Test
    void withoutTheApplicationsOwnExceptionTheInnermostCauseStillThereIsShown() {
        String kept = """
                org.springframework.batch.core.step.FatalStepExecutionException: Unable to process chunk
                \tat org.springframework.batch.core.step.item.ChunkOrientedStep.doExecute(ChunkOrientedStep.java:1)
                Caused by: org.springframework.dao.DataAccessResourceFailureException: the database went away
                \tat org.springframework.jdbc.Some.call(Some.java:2)
                Caused by: org.postgresql.util.PSQLException: An I/O error occurred while sending to the backend.
                \tat org.postgresql.core.v3.QueryExecutorImpl.execute(QueryExecutorImpl.java:3)""";
        assertThat(Failures.readableMessage(kept)).isEqualTo("An I/O error occurred while sending to the backend.");
        assertThat(Failures.readableMessage("org.contactbatch.files.CsvParser$Violation: line 3: a quoted field is not closed"))
                .isEqualTo("line 3: a quoted field is not closed");
        assertThat(Failures.readableMessage("plain words")).isEqualTo("plain words");
    }
}
