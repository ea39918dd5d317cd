package org.contactbatch.constantcontact.push;

import org.contactbatch.constantcontact.auth.DisconnectService;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * The Constant Contact jobs run nothing while the account is disconnected, however the run is asked for.
 * {@link PushLauncher} refuses a new run before it takes a lock; {@code jobs restart} and the console's Restart
 * of a run started before {@code cc disconnect} reach the job operator without it, and would otherwise send
 * requests until the first one found no tokens. The job operator validates before it records an execution, so
 * a refusal leaves no failed run behind, and the command line prints its one line with exit code 2.
 */
final class RequiresConnection implements JobParametersValidator {

    private final DisconnectService disconnects;

    RequiresConnection(DisconnectService disconnects) {
        this.disconnects = disconnects;
    }

    @Override
    public void validate(JobParameters parameters) {
        disconnects.requireConnected();
    }
}
