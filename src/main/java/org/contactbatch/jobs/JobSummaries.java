package org.contactbatch.jobs;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.stereotype.Component;

/**
 * Each job's own summarizer, by the job's name: what the command line prints and the console shows.
 *
 * <p>Beans are lazy on the command line, and a summarizer brings its own (a mailer, the sync log, …): a
 * command that prints one job's summary creates that job's summarizer only. It is found by its bean name,
 * the job's name and {@code Summary} ({@code uploadSummary}, {@code reimportStartSummary}); a summarizer
 * named otherwise is still found, by creating the others one by one until it comes.
 */
@Component
public class JobSummaries {

    private final ListableBeanFactory beans;
    private final Map<String, Optional<JobSummarizer>> found = new ConcurrentHashMap<>();

    public JobSummaries(ListableBeanFactory beans) {
        this.beans = beans;
    }

    /** The summarizer of this job, if it has one. */
    public Optional<JobSummarizer> of(String jobName) {
        Optional<JobSummarizer> known = found.get(jobName);
        if (known == null) {
            // not computeIfAbsent: creating a bean under the map's lock could wait on another thread's creation
            known = lookUp(jobName);
            found.putIfAbsent(jobName, known);
        }
        return known;
    }

    /** The summary of a job that ran. */
    public JobSummary summarize(JobRunner.Launch launch) {
        String job = launch.execution().getJobInstance().getJobName();
        return of(job).orElseThrow(() -> new IllegalStateException("the job " + job + " has no summary"))
                .summarize(launch);
    }

    private Optional<JobSummarizer> lookUp(String jobName) {
        String named = jobName + "Summary";
        if (beans.containsBean(named) && beans.isTypeMatch(named, JobSummarizer.class)) {
            JobSummarizer summarizer = beans.getBean(named, JobSummarizer.class);
            if (summarizer.jobName().equals(jobName)) {
                return Optional.of(summarizer);
            }
        }
        // the provider's stream creates each bean as it comes to it
        return beans.getBeanProvider(JobSummarizer.class).stream()
                .filter(summarizer -> summarizer.jobName().equals(jobName)).findFirst();
    }
}
