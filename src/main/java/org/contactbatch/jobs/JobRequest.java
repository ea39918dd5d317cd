package org.contactbatch.jobs;

import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * A job to run and its parameters, as a service decides them: the command line runs it and waits,
 * the console runs it in the background. Neither adds a rule of its own.
 */
public record JobRequest(String jobName, JobParameters parameters) {
}
