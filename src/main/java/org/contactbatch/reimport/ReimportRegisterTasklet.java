package org.contactbatch.reimport;

import javax.sql.DataSource;

import org.contactbatch.imports.ImportKind;
import org.contactbatch.imports.ImportRegistration;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/** Registers the re-import, its fields and tag, and a warning for each column it ignores. One transaction. */
class ReimportRegisterTasklet implements Tasklet {

    private final DataSource dataSource;
    private final ReimportOptions options;
    private final long importId;

    ReimportRegisterTasklet(DataSource dataSource, ReimportOptions options, long importId) {
        this.dataSource = dataSource;
        this.options = options;
        this.importId = importId;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ReimportPlan plan = ReimportPlan.of(options);
        new ImportRegistration(importId, ImportKind.REIMPORT, options.file(), options.sha256(), options.by(),
                plan.mapping(), plan.fields(), options.tag()).register(dataSource);
        return RepeatStatus.FINISHED;
    }
}
