package org.contactbatch.jobs;

import java.util.Map;

/**
 * What a job command prints: a short text for people, or with {@code --json} this record as one
 * JSON object, whose field names scripts may rely on: they change only with a note in the README.
 *
 * @param job         the job's name
 * @param executionId the execution that ran (or ran before, when nothing was left to do)
 * @param status      Spring Batch's status: COMPLETED, FAILED, STOPPED…
 * @param outcome     STARTED, RESTARTED or ALREADY_COMPLETED
 * @param counts      read, written, skipped, warnings and the job's own counts
 * @param reports     report kind → file
 * @param message     why it failed, or a note; null when there is nothing to say
 * @param importId    the upload or re-import the job worked on; null for jobs without one
 */
public record JobSummary(String job, long executionId, String status, String outcome, Map<String, Long> counts,
        Map<String, String> reports, String message, Long importId) {

    /** A summary of a job that works on no upload or re-import. */
    public JobSummary(String job, long executionId, String status, String outcome, Map<String, Long> counts,
            Map<String, String> reports, String message) {
        this(job, executionId, status, outcome, counts, reports, message, null);
    }
}
