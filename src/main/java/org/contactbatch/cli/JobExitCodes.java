package org.contactbatch.cli;

import org.contactbatch.files.FileProblemException;
import org.contactbatch.jobs.Failures;
import org.contactbatch.upload.StagedUploadChangedException;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/** Maps how a job ended to the command's exit code. */
final class JobExitCodes {

    private JobExitCodes() {
    }

    static int of(JobExecution execution) {
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            return ExitCodes.OK;
        }
        // a file that turned out unreadable half-way, or a dry run that no longer holds: the contacts
        // were not touched, and running it again can't help, so it is a usage error like one found up front
        if (Failures.find(execution, FileProblemException.class).isPresent()
                || Failures.find(execution, StagedUploadChangedException.class).isPresent()) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.FAILED;
    }
}
