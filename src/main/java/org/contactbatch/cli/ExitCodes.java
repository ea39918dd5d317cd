package org.contactbatch.cli;

/** The exit codes of every command, the same for all, so scripts and cron can tell a bad request from a failed job. */
public final class ExitCodes {

    /** the job completed; skipped rows are reported, not an error */
    public static final int OK = 0;
    /** the job failed and can be restarted */
    public static final int FAILED = 1;
    /** bad usage, or a file that cannot be read: nothing was written */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
