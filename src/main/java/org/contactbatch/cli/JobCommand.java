package org.contactbatch.cli;

/**
 * A command that runs a job when it runs (some only with some options: {@code upload --template} writes a file
 * and launches nothing). Its process sets up, while Spring starts, what every job launch needs and Spring does not:
 * see {@link JobLaunchWarmUp}. Not {@code serve}: it launches jobs later, long after its start.
 */
interface JobCommand {
}
