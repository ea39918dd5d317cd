package org.contactbatch.export;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.contactbatch.reports.JobReports;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Puts the finished file in place. A CSV is its spools joined in order, the others appended to the first (one spool
 * is the file already); a workbook is made from them (from the start on every attempt: a local conversion, and a
 * half-written zip cannot be continued). Either way the file appears under its name by an atomic rename, complete
 * or not at all, and is registered as the export's report.
 *
 * <p>Every attempt can be repeated: a CSV's first spool becomes the file by the rename, and a workbook's is deleted
 * only after it, and first, so a restart that finds the first spool makes the file again, and one that does not
 * finds the file in place.
 */
public class ExportFinishTasklet implements Tasklet {

    static final String XLSX_ROWS = "exportFinish.xlsxRows";
    static final String CUT_CELLS = "exportFinish.cutCells";
    static final String SHEETS = "exportFinish.sheets";

    private final JdbcClient jdbc;
    private final JobRepository jobRepository;
    private final JobReports reports;
    private final ExportPlan plan;
    private final XlsxTableWriter workbooks;

    public ExportFinishTasklet(JdbcClient jdbc, JobRepository jobRepository, JobReports reports, ExportPlan plan,
            XlsxTableWriter workbooks) {
        this.jdbc = jdbc;
        this.jobRepository = jobRepository;
        this.reports = reports;
        this.plan = plan;
        this.workbooks = workbooks;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws IOException {
        StepExecution step = chunkContext.getStepContext().getStepExecution();
        JobExecution job = step.getJobExecution();
        ExecutionContext context = step.getExecutionContext();
        long rows = ExportSteps.rowsExported(jobRepository, job.getJobInstance(), plan.parts());
        List<Path> spools = plan.spools();
        if (Files.exists(spools.get(0))) {
            if (plan.format() == ExportFormat.CSV) {
                if (spools.size() > 1) {
                    long firstLength = ExportSteps.context(jobRepository, job.getJobInstance(), ExportSteps.partStep(0))
                            .getLong(ExportRowsTasklet.BYTES);
                    appendToFirst(spools, firstLength);
                }
                Files.move(spools.get(0), plan.out(), StandardCopyOption.ATOMIC_MOVE);
            }
            else {
                XlsxTableWriter.Result written = workbooks.write(spools, plan.partial(), rows,
                        done -> context.putLong(XLSX_ROWS, done));
                context.putLong(CUT_CELLS, written.cutCells());
                context.putInt(SHEETS, written.sheets());
                force(plan.partial());
                Files.move(plan.partial(), plan.out(), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        else if (!Files.exists(plan.out())) {
            throw new IllegalStateException("the exported rows (" + spools.get(0) + ") are gone; start the export again");
        }
        // else an earlier attempt moved the file into place and was stopped before it could say so
        for (Path spool : spools) {
            Files.deleteIfExists(spool);
        }
        reports.register(job.getId(), "export", plan.out(), rows);
        jdbc.sql("delete from export_id where export_id = :id").param("id", plan.id()).update();
        contribution.incrementWriteCount(rows);
        return RepeatStatus.FINISHED;
    }

    /**
     * The other spools appended to the first, which is then the file, on disk before it is moved into place. The first
     * is cut back to its committed length first: an attempt stopped while appending left part of the others on it.
     * Appending copies half of a two-part export, where joining the spools in a new file copied it all.
     */
    static void appendToFirst(List<Path> spools, long firstLength) throws IOException {
        try (FileChannel out = FileChannel.open(spools.get(0), StandardOpenOption.WRITE)) {
            out.truncate(firstLength);
            out.position(firstLength);
            for (Path spool : spools.subList(1, spools.size())) {
                try (FileChannel in = FileChannel.open(spool, StandardOpenOption.READ)) {
                    long size = in.size();
                    for (long done = 0; done < size; ) {
                        done += in.transferTo(done, size - done, out);
                    }
                }
            }
            out.force(true);
        }
    }

    private static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }
}
