package org.contactbatch.cli;

/**
 * A command that launches a job. Its process sets up, while Spring starts, what every job launch needs and Spring
 * does not: see {@link JobLaunchWarmUp}.
 */
interface JobCommand {
}
