package org.contactbatch.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;

/** Printing one job's summary creates that job's summarizer, not every job's (beans are lazy on the command line). */
class JobSummariesTest {

    private final List<String> created = new CopyOnWriteArrayList<>();

    @Test
    void aSummarizerNamedAfterItsJobIsTheOnlyOneCreatedAndOneNamedOtherwiseIsStillFound() {
        try (GenericApplicationContext context = new GenericApplicationContext()) {
            summarizer(context, "uploadSummary", "upload");
            summarizer(context, "exportSummary", "export");
            summarizer(context, "uploadSummary.OfApply", "applyUpload");
            context.registerBean(JobSummaries.class, definition -> definition.setLazyInit(true));
            context.refresh();
            JobSummaries summaries = context.getBean(JobSummaries.class);

            assertThat(summaries.of("export")).map(JobSummarizer::jobName).hasValue("export");
            assertThat(created).containsExactly("export");

            assertThat(summaries.of("applyUpload")).map(JobSummarizer::jobName).hasValue("applyUpload");
            assertThat(summaries.of("nothing")).isEmpty();
            assertThat(created).containsExactlyInAnyOrder("export", "upload", "applyUpload");
        }
    }

    private void summarizer(GenericApplicationContext context, String beanName, String jobName) {
        context.registerBean(beanName, JobSummarizer.class, () -> {
            created.add(jobName);
            return new JobSummarizer() {
                @Override
                public String jobName() {
                    return jobName;
                }

                @Override
                public JobSummary summarize(JobRunner.Launch launch) {
                    throw new UnsupportedOperationException("not printed here");
                }
            };
        }, definition -> definition.setLazyInit(true));
    }
}
