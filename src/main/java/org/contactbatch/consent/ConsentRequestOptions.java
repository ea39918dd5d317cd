package org.contactbatch.consent;

import java.time.Instant;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * What one run of the {@code consentRequest} job does, as job parameters (so a restart does exactly the same):
 * ask the pending contacts of an upload, or send the reminders that are due and expire the requests nobody
 * answered. The upload, or the moment of the reminder run, identifies the run: asking for an upload's
 * consent a second time continues (or finds finished) the first run instead of emailing everyone again.
 *
 * @param kind     ask an upload's contacts, or remind
 * @param uploadId the upload (its import id) whose pending contacts are asked; null when reminding
 * @param at       the moment a reminder run counts from (reminders due, requests expired); null when asking
 * @param by       who started it
 */
public record ConsentRequestOptions(Kind kind, Long uploadId, Instant at, String by) {

    public static final String JOB_NAME = "consentRequest";

    public enum Kind {
        REQUEST, REMIND
    }

    public ConsentRequestOptions {
        if (kind == Kind.REQUEST && uploadId == null) {
            throw new IllegalArgumentException("a consent request names the upload whose contacts it asks");
        }
        if (kind == Kind.REMIND && at == null) {
            throw new IllegalArgumentException("a reminder run counts from a moment");
        }
    }

    public static ConsentRequestOptions request(long uploadId, String by) {
        return new ConsentRequestOptions(Kind.REQUEST, uploadId, null, by);
    }

    public static ConsentRequestOptions remind(Instant at, String by) {
        return new ConsentRequestOptions(Kind.REMIND, null, at, by);
    }

    public JobParameters toJobParameters() {
        JobParametersBuilder parameters = new JobParametersBuilder().addString("kind", kind.name());
        if (uploadId != null) {
            parameters.addLong("upload", uploadId);
        }
        if (at != null) {
            parameters.addString("at", at.toString());
        }
        return parameters.addString("by", by == null ? "" : by, false).toJobParameters();
    }

    public static ConsentRequestOptions from(JobParameters parameters) {
        String at = parameters.getString("at");
        return new ConsentRequestOptions(Kind.valueOf(parameters.getString("kind")), parameters.getLong("upload"),
                at == null || at.isEmpty() ? null : Instant.parse(at), parameters.getString("by"));
    }
}
