package org.contactbatch.upload;

import javax.sql.DataSource;

import org.contactbatch.imports.ImportKind;
import org.contactbatch.imports.ImportRegistration;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Registers the upload (see {@link ImportRegistration}) and creates the target list when missing
 * (not in a full dry run). One transaction: done wholly or not at all.
 */
public class UploadPrepareTasklet implements Tasklet {

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final UploadOptions options;
    private final long importId;

    public UploadPrepareTasklet(DataSource dataSource, UploadOptions options, long importId) {
        this.dataSource = dataSource;
        this.jdbc = JdbcClient.create(dataSource);
        this.options = options;
        this.importId = importId;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        new ImportRegistration(importId, ImportKind.UPLOAD, options.file(), options.sha256(), options.by(),
                UploadPlan.of(options).mapping(), null, null).register(dataSource);
        // a full dry run changes nothing people see: its apply creates the list
        if (options.list() != null && !options.dryRun()) {
            jdbc.sql("insert into contact_list (name) values (:name) on conflict (lower(name)) do nothing")
                    .param("name", options.list())
                    .update();
        }
        return RepeatStatus.FINISHED;
    }
}
