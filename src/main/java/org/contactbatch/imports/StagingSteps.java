package org.contactbatch.imports;

import org.contactbatch.files.RawRow;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.ChunkOrientedStepBuilder;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemReader;
import org.springframework.transaction.PlatformTransactionManager;

/** The staging step of every import: the file's rows, through the mode's row rules, into {@code staged_contact}. */
public final class StagingSteps {

    private StagingSteps() {
    }

    /**
     * A chunk step that stages rows; a row that breaks a row rule is skipped, never fatal: a limit
     * like --max-errors is enforced once every row was seen, so the failed-rows report is complete
     * either way. The caller adds how it runs (threads, progress).
     */
    public static ChunkOrientedStepBuilder<RawRow, StagedContact> rows(String name, JobRepository jobRepository,
            PlatformTransactionManager transactionManager, int chunkSize, ItemReader<RawRow> reader,
            ItemProcessor<RawRow, StagedContact> processor, StagingWriter writer) {
        return new StepBuilder(name, jobRepository)
                .<RawRow, StagedContact>chunk(chunkSize)
                .transactionManager(transactionManager)
                .reader(reader)
                .processor(processor)
                .writer(writer)
                .faultTolerant()
                .skip(RowRejectedException.class)
                .skipLimit(Long.MAX_VALUE);
    }
}
