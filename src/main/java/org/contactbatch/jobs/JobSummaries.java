package org.contactbatch.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

/** Each job's own summarizer, by the job's name: what the command line prints and the console shows. */
@Component
public class JobSummaries {

    private final Map<String, JobSummarizer> summarizers = new LinkedHashMap<>();

    public JobSummaries(List<JobSummarizer> summarizers) {
        summarizers.forEach(s -> this.summarizers.put(s.jobName(), s));
    }

    /** The summarizer of this job, if it has one. */
    public Optional<JobSummarizer> of(String jobName) {
        return Optional.ofNullable(summarizers.get(jobName));
    }

    /** The summary of a job that ran. */
    public JobSummary summarize(JobRunner.Launch launch) {
        String job = launch.execution().getJobInstance().getJobName();
        return of(job).orElseThrow(() -> new IllegalStateException("the job " + job + " has no summary"))
                .summarize(launch);
    }
}
