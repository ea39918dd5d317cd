package org.contactbatch.cli;

/**
 * Spring Batch reports each job, step and chunk as a Java Flight Recorder event, whether or not anything records.
 * The first event class a JVM loads makes it set up the recorder's event metadata: on Java 17 about 0.1 s of code
 * that runs once, cold, on the thread that launches the job, between the command and its first step (seen in the
 * class-loading log of an export). Loading that class on a second thread while Spring starts takes it off the way:
 * by the time the job launches, it is done. The next event classes cost about a millisecond each.
 */
final class JobLaunchWarmUp {

    /** The first event a launch makes; should a later Spring Batch not have it, nothing is warmed and nothing fails. */
    static final String FIRST_EVENT = "org.springframework.batch.core.observability.jfr.events.job.JobLaunchEvent";

    private JobLaunchWarmUp() {
    }

    /** Starts loading it on a daemon thread and returns at once. */
    static Thread start() {
        ClassLoader loader = JobLaunchWarmUp.class.getClassLoader();
        Thread thread = new Thread(() -> {
            try {
                Class.forName(FIRST_EVENT, true, loader);
            }
            catch (ClassNotFoundException | LinkageError e) {
                // only a warm-up: the launch loads what it needs itself
            }
        }, "job-launch-warm-up");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
