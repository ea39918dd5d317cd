package org.contactbatch.cli;

import java.io.PrintWriter;
import java.util.Map;

import org.contactbatch.consent.ConsentRequests;
import org.contactbatch.jobs.JobRunner;
import org.contactbatch.jobs.JobSummaries;
import org.contactbatch.jobs.JobSummary;
import org.springframework.batch.core.job.JobExecution;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prints a job's summary for people, or as one JSON object for scripts: the one way every command
 * reports the job it ran, and gives its exit code.
 */
final class SummaryPrinter {

    private SummaryPrinter() {
    }

    /** The summary of a job that ran, made by that job's own summarizer. */
    static JobSummary summarize(CliContext context, JobRunner.Launch launch) {
        return context.bean(JobSummaries.class).summarize(launch);
    }

    /** Prints the summary of a job that ran and gives the exit code. */
    static int report(CliContext context, JobRunner.Launch launch, boolean json) {
        return report(summarize(context, launch), launch.execution(), json, context);
    }

    /**
     * A job and the one that followed it in the same command: both printed, the exit code the worse of the two;
     * for scripts, one JSON object, the first job's, with the second under {@code key}.
     */
    static int reportBoth(CliContext context, JobSummary first, JobExecution firstExecution, String key,
            JobRunner.Launch second, boolean json) {
        printBoth(first, key, summarize(context, second), json, context.out);
        return Math.max(JobExitCodes.of(firstExecution), JobExitCodes.of(second.execution()));
    }

    /** An upload's summary, and its consent request's when it asked its contacts (under {@code consentRequest}). */
    static int reportUpload(CliContext context, JobSummary upload, ConsentRequests.Uploaded both, boolean json) {
        if (both.request() == null) {
            return report(upload, both.upload().execution(), json, context);
        }
        return reportBoth(context, upload, both.upload().execution(), "consentRequest", both.request(), json);
    }

    /**
     * Prints the summary and gives the exit code. A file found unreadable half-way gets the same
     * one line on stderr as one found unreadable up front: restarting can't help it.
     */
    static int report(JobSummary summary, JobExecution execution, boolean json, CliContext context) {
        int code = JobExitCodes.of(execution);
        if (code == ExitCodes.USAGE && !json) {
            context.err.println("error: " + summary.message());
            return code;
        }
        print(summary, json, context.out);
        return code;
    }

    /**
     * A job and the one that followed it in the same command (an upload and its push, or its consent request): one
     * after the other for people; for scripts, one JSON object, the first job's, with the second under {@code key}.
     */
    private static void printBoth(JobSummary first, String key, JobSummary second, boolean json, PrintWriter out) {
        if (json) {
            @SuppressWarnings("unchecked")
            Map<String, Object> object = JsonMapper.shared().convertValue(first, java.util.LinkedHashMap.class);
            object.put(key, second);
            out.println(JsonMapper.shared().writeValueAsString(object));
        }
        else {
            print(first, false, out);
            print(second, false, out);
        }
    }

    static void print(JobSummary summary, boolean json, PrintWriter out) {
        if (json) {
            out.println(JsonMapper.shared().writeValueAsString(summary));
            return;
        }
        String outcome = switch (summary.outcome()) {
            case "RESTARTED" -> ", continued after an interruption";
            case "ALREADY_COMPLETED" -> ", which had completed before: nothing was done now; add --again to run it once more";
            default -> "";
        };
        out.printf("%s %s (execution %d%s%s)%n", title(summary.job()), summary.status(), summary.executionId(),
                summary.importId() == null ? "" : ", import " + summary.importId(), outcome);
        int width = summary.counts().keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Map.Entry<String, Long> count : summary.counts().entrySet()) {
            out.printf("  %-" + width + "s %,12d%n", count.getKey(), count.getValue());
        }
        if (!summary.reports().isEmpty()) {
            out.println("Reports:");
            int kindWidth = summary.reports().keySet().stream().mapToInt(String::length).max().orElse(0);
            summary.reports().forEach((kind, path) -> out.printf("  %-" + kindWidth + "s  %s%n", kind, path));
        }
        if (summary.message() != null) {
            out.println(summary.message());
        }
        if (summary.status().equals("FAILED")) {
            out.println("Continue it with: contact-batch jobs restart " + summary.executionId());
        }
    }

    /** "reimportPrepare" → "Re-import prepare": job names as people say them. */
    static String title(String job) {
        String words = job.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT)
                .replace("reimport", "re-import");
        return words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
