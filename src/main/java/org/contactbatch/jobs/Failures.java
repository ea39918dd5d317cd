package org.contactbatch.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/** Finds why a job failed, through the wrappers Spring Batch puts around the real cause. */
public final class Failures {

    private static final String CAUSED_BY = "Caused by: ";

    private Failures() {
    }

    public static <T extends Throwable> Optional<T> find(JobExecution execution, Class<T> type) {
        List<Throwable> failures = new ArrayList<>(execution.getAllFailureExceptions());
        for (StepExecution step : execution.getStepExecutions()) {
            failures.addAll(step.getFailureExceptions());
        }
        for (Throwable failure : failures) {
            for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (type.isInstance(t)) {
                    return Optional.of(type.cast(t));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The message a person should read: that of one of {@code explained} (exceptions whose
     * message was written for people) when one is among the causes, else the innermost message
     * of the first failure.
     */
    @SafeVarargs
    public static Optional<String> message(JobExecution execution, Class<? extends Throwable>... explained) {
        for (Class<? extends Throwable> type : explained) {
            Optional<? extends Throwable> found = find(execution, type);
            if (found.isPresent()) {
                return Optional.ofNullable(found.get().getMessage());
            }
        }
        return rootMessage(execution);
    }

    /** The innermost message of the first failure, for a one-line summary. */
    public static Optional<String> rootMessage(JobExecution execution) {
        List<Throwable> failures = new ArrayList<>();
        for (StepExecution step : execution.getStepExecutions()) {
            failures.addAll(step.getFailureExceptions());
        }
        failures.addAll(execution.getAllFailureExceptions());
        if (failures.isEmpty()) {
            return exitDescription(execution).map(Failures::readableMessage);
        }
        Throwable t = failures.get(0);
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return Optional.of(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    }

    /**
     * What the repository kept of why an execution failed: that of a failed partition when there is one (its
     * manager step and the job keep only that "Partition handler returned an unsuccessful step"), else the job's
     * exit description, or, for a job whose steps are a flow (which ends with a bare status), that of the step that
     * failed.
     */
    public static Optional<String> exitDescription(JobExecution execution) {
        Optional<String> partition = failedSteps(execution, true);
        if (partition.isPresent()) {
            return partition;
        }
        String description = execution.getExitStatus().getExitDescription();
        if (description != null && !description.isBlank()) {
            return Optional.of(description);
        }
        return failedSteps(execution, false);
    }

    /** The first exit description of a failed step; of a partition's execution ({@code step:partition}) only, if asked. */
    private static Optional<String> failedSteps(JobExecution execution, boolean partitionsOnly) {
        return execution.getStepExecutions().stream()
                .filter(step -> step.getStatus().isUnsuccessful())
                .filter(step -> !partitionsOnly || step.getStepName().contains(":"))
                .map(step -> step.getExitStatus().getExitDescription())
                .filter(text -> text != null && !text.isBlank())
                .findFirst();
    }

    /**
     * The message a person should read of an exit description (a stack trace, as Spring Batch keeps it): that of the
     * outermost of this application's own exceptions in it, which are worded for people (a file problem's own cause,
     * the decoder's "Input length = 1", is not); else of its innermost cause still there; else its first line. Without
     * the exception's class name either way.
     */
    static String readableMessage(String description) {
        List<String> lines = new ArrayList<>();
        description.lines().findFirst().ifPresent(lines::add);
        description.lines().filter(line -> line.startsWith(CAUSED_BY))
                .forEach(line -> lines.add(line.substring(CAUSED_BY.length())));
        String message = lines.stream().filter(line -> line.startsWith("org.contactbatch.")).findFirst()
                .orElse(lines.isEmpty() ? description : lines.get(lines.size() - 1));
        return withoutExceptionName(message);
    }

    /**
     * A line of a stack trace without the exception's class name it starts with: the message as it was thrown.
     */
    public static String withoutExceptionName(String line) {
        return line.replaceFirst("^(?:[a-z][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error|\\$[A-Z]\\w*): ", "");
    }
}
