package org.contactbatch.jobs;

/** Builds the summary of one kind of job; each job contributes one. */
public interface JobSummarizer {

    String jobName();

    JobSummary summarize(JobRunner.Launch launch);
}
