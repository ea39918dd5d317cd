package org.contactbatch.imports;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import org.contactbatch.config.ContactBatchProperties;
import org.contactbatch.files.RawRow;
import org.contactbatch.files.RowSourceItemReader;
import org.contactbatch.jobs.Progress;
import org.springframework.aop.framework.Advised;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.listener.StepListenerFactoryBean;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemReader;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The staging step of every import: the file's rows, through the mode's row rules, into
 * {@code staged_contact}. Upload and re-import stage the same way: a step that splits the file by
 * row position into partitions that run side by side, each a step execution of its own with its
 * own restart state, so a restarted import continues each part where it stopped. A mode brings
 * its step names, its reader (made with {@link #reader}, for the partition it reads) and its row
 * processor and writer.
 */
public class StagingSteps {

    /** A partition's rows by the line they start on, [first, end), kept in its step execution's context. */
    static final String FIRST_LINE = "firstLine";
    static final String END_LINE = "endLine";
    /** How an earlier version kept a partition's rows: by position, [first, end); a restart of such a run reads so. */
    private static final String FIRST_ROW = "firstRow";
    private static final String END_ROW = "endRow";
    private static final String ESTIMATED_ROWS = "estimatedRows";

    private final JobRepository jobRepository;
    private final PlatformTransactionManager transactionManager;
    private final ContactBatchProperties properties;
    private final AsyncTaskExecutor importWorkers;
    private final Progress progress;

    public StagingSteps(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ContactBatchProperties properties, AsyncTaskExecutor importWorkers, Progress progress) {
        this.jobRepository = jobRepository;
        this.transactionManager = transactionManager;
        this.properties = properties;
        this.importWorkers = importWorkers;
        this.progress = progress;
    }

    /**
     * The staging step, {@code name}, and its partitions, step executions named
     * {@code partitionStep:rows0}, {@code partitionStep:rows1}, …; restart state is keyed by these
     * names, so a mode keeps them. The reader, processor and writer are step-scoped: each partition
     * has its own.
     *
     * @param file what the job's parameters say is staged, for the split and the progress bar
     */
    public Step partitioned(String name, String partitionStep, Function<StepExecution, ? extends ImportFile> file,
            ItemReader<RawRow> reader, ItemProcessor<RawRow, StagedContact> processor, StagingWriter writer) {
        Step rows = rows(partitionStep, reader, processor, writer);
        return new StepBuilder(name, jobRepository)
                .partitioner(partitionStep, gridSize -> {
                    // called while the staging step runs, on its thread: what it stages is in its job parameters
                    StepContext staging = StepSynchronizationManager.getContext();
                    if (staging == null) {
                        throw new IllegalStateException(name + " split outside its step execution");
                    }
                    return byLine(estimatedRows(staging.getStepExecution(), file), properties.partitionMinRows(), gridSize);
                })
                .step(rows)
                .gridSize(properties.parallelism())
                .taskExecutor(importWorkers)
                .listener(progress.forStep("Reading", step -> estimatedRows(step, file),
                        step -> partitionsTotal(step, partitionStep, StepExecution::getReadCount)))
                .build();
    }

    /**
     * The staged file's estimated rows, counted once per run of the staging step (the count reads the whole
     * file) and kept in its execution for the progress bar and the split alike.
     */
    private static long estimatedRows(StepExecution staging, Function<StepExecution, ? extends ImportFile> file) {
        ExecutionContext context = staging.getExecutionContext();
        if (!context.containsKey(ESTIMATED_ROWS)) {
            ImportFile staged = file.apply(staging);
            context.putLong(ESTIMATED_ROWS, Progress.estimateRows(staged.file(), staged.readOptions().header()));
        }
        return context.getLong(ESTIMATED_ROWS);
    }

    /**
     * The rows of a file by the line they start on, [first, end). A text file is split at equal shares of its
     * estimated rows; a later part finds its first line without building the cells before it, over the bytes where
     * the encoding allows (see {@link org.contactbatch.files.RowSource#startAt}), and a row with a quoted line break
     * in it belongs to the part where it starts. Workbooks and archives (no estimate) and files below {@code minRows}
     * are read whole by one partition: a workbook's parser is the slow part, and reading past rows would repeat it.
     */
    static Map<String, ExecutionContext> byLine(long estimatedRows, long minRows, int gridSize) {
        int parts = estimatedRows < minRows ? 1 : gridSize;
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        long share = Math.max(1, estimatedRows / parts);
        for (int i = 0; i < parts; i++) {
            ExecutionContext context = new ExecutionContext();
            // line 1 is the header, so the data's shares start one line on
            context.putLong(FIRST_LINE, i == 0 ? 0 : i * share + 1);
            context.putLong(END_LINE, i == parts - 1 ? Long.MAX_VALUE : (i + 1) * share + 1);
            partitions.put("rows" + i, context);
        }
        return partitions;
    }

    /**
     * A mode's reader for the rows of the partition whose step execution this is. {@code name}
     * prefixes the reader's restart state in that execution's context, so a mode keeps it.
     */
    public static RowSourceItemReader reader(String name, ImportFile file, StepExecution partition) {
        ExecutionContext rows = partition.getExecutionContext();
        RowSourceItemReader reader = new RowSourceItemReader(file.file(), file.readOptions());
        reader.setName(name);
        if (rows.containsKey(FIRST_ROW)) {
            reader.setCurrentItemCount(Math.toIntExact(rows.getLong(FIRST_ROW)));
            reader.setMaxItemCount(Math.toIntExact(rows.getLong(END_ROW)));
        } else {
            reader.setLines(rows.getLong(FIRST_LINE, 0L), rows.getLong(END_LINE, Long.MAX_VALUE));
        }
        return reader;
    }

    /** The sum of a count over the partitions of a step (staging's or another partitioned step's), as they run. */
    public static long partitionsTotal(StepExecution manager, String partitionStep, ToLongFunction<StepExecution> count) {
        return manager.getJobExecution().getStepExecutions().stream()
                .filter(step -> step.getStepName().startsWith(partitionStep + ":"))
                .mapToLong(count).sum();
    }

    /**
     * The chunk step of one partition; a row that breaks a row rule is skipped, never fatal: a
     * limit like --max-errors is enforced once every row was seen, so the failed-rows report is
     * complete either way.
     */
    private Step rows(String name, ItemReader<RawRow> reader, ItemProcessor<RawRow, StagedContact> processor,
            StagingWriter writer) {
        PartitionTargets targets = new PartitionTargets(reader, processor);
        var step = new StepBuilder(name, jobRepository)
                .<RawRow, StagedContact>chunk(properties.chunkSize())
                .transactionManager(transactionManager)
                .reader(targets::read)
                .processor(targets::process)
                .writer(writer)
                .listener(targets);
        // what the step would have found on the reader and processor themselves: their restart state, their listeners
        for (Object part : List.of(reader, processor)) {
            if (part instanceof ItemStream stream) {
                step.stream(stream);
            }
            if (StepListenerFactoryBean.isListener(part)) {
                step.listener(part);
            }
        }
        return step.faultTolerant()
                .skip(RowRejectedException.class)
                .skipLimit(Long.MAX_VALUE)
                .build();
    }

    /**
     * The reader and the processor of the partition a thread runs, looked up once as its step starts. They are
     * step-scoped proxies, and a call through such a proxy looks its target up in the step scope (and calls it by
     * reflection) every time: two such calls a row were 4 % of a staging thread's samples. Partitions run side by
     * side on the same step, so each thread keeps its own.
     */
    private static final class PartitionTargets implements StepExecutionListener {

        private final ItemReader<RawRow> reader;
        private final ItemProcessor<RawRow, StagedContact> processor;
        private final ThreadLocal<ItemReader<RawRow>> currentReader = new ThreadLocal<>();
        private final ThreadLocal<ItemProcessor<RawRow, StagedContact>> currentProcessor = new ThreadLocal<>();

        PartitionTargets(ItemReader<RawRow> reader, ItemProcessor<RawRow, StagedContact> processor) {
            this.reader = reader;
            this.processor = processor;
        }

        @Override
        public void beforeStep(StepExecution stepExecution) {
            currentReader.set(target(reader));
            currentProcessor.set(target(processor));
        }

        @Override
        public ExitStatus afterStep(StepExecution stepExecution) {
            currentReader.remove();
            currentProcessor.remove();
            return null;
        }

        RawRow read() throws Exception {
            return currentReader.get().read();
        }

        StagedContact process(RawRow row) throws Exception {
            return currentProcessor.get().process(row);
        }

        /** The object behind a step-scoped proxy, for the step execution of this thread; anything else as it is. */
        @SuppressWarnings("unchecked")
        private static <T> T target(T bean) {
            if (bean instanceof Advised proxy) {
                try {
                    return (T) proxy.getTargetSource().getTarget();
                }
                catch (Exception e) {
                    throw new IllegalStateException("cannot get the step's " + bean.getClass().getSimpleName(), e);
                }
            }
            return bean;
        }
    }
}
