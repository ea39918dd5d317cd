package org.contactbatch.jobs;

/** Builds the summary of one kind of job; each job contributes one. */
public interface JobSummarizer {

    String jobName();

    JobSummary summarize(JobRunner.Launch launch);

    /** Whether the counts of a finished execution still change (a consent request's answers come in later). */
    default boolean countsChangeAfterTheEnd() {
        return false;
    }
}
