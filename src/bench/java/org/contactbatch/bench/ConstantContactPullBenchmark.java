package org.contactbatch.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.contactbatch.constantcontact.fake.FakeConstantContact;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * How many requests, and how long, the pull takes for 100,000 contacts made in Constant Contact's website, and what
 * a quiet night of a {@code direction: both} profile costs. Runs the real {@code cc pull} and {@code cc sync}, in this
 * JVM, at production settings (4 requests/s) against the tests' fake Constant Contact, which counts every request;
 * writes the section {@code ## Constant Contact pull and two-way sync (N contacts)} of the markdown file.
 *
 * <pre>
 * java -cp bench-classes:test-classes:classes:… org.contactbatch.bench.ConstantContactPullBenchmark [CONTACTS] [MARKDOWN]
 * </pre>
 * defaults: 100000, BENCHMARKS.md. System property {@code bench.dir} (default {@code bench-data}).
 */
public final class ConstantContactPullBenchmark {

    public static void main(String[] argv) throws Exception {
        BenchHarness.main("ConstantContactPullBenchmark", argv, 100_000, false, args -> ConstantContactBenchmark
                .runAgainstFake(args, "cc-pull", fake -> fake.requestsPerSecond(4).pollsToComplete(3),
                        (context, fake, dir) -> run(context, fake, args.rows(), dir)));
    }

    private static String run(ConfigurableApplicationContext context, FakeConstantContact fake, int contacts, Path dir)
            throws Exception {
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        fake.createList("Active Members");
        fake.createCustomField("Member Number");
        Instant madeFrom = Instant.now();
        for (int i = 1; i <= contacts; i++) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("first_name", "First" + i);
            fields.put("last_name", "Last" + i);
            fields.put("job_title", i % 3 == 0 ? "Nurse" : "Teacher");
            fields.put("company_name", "Company " + (i % 500));
            fields.put("phone", "+44 20 7946 " + String.format("%04d", i % 10_000));
            fields.put("street", i + " High Street");
            fields.put("city", i % 2 == 0 ? "Leeds" : "York");
            fields.put("zip", "LS" + (i % 30) + " 1AA");
            fields.put("country", "GB");
            fields.put("cf:Member Number", String.valueOf(i));
            fake.createInWebsite("person" + i + "@example.com", i % 4 == 0 ? "explicit" : "implicit", fields);
        }
        Duration making = Duration.between(madeFrom, Instant.now());
        ConstantContactBenchmark.connect(context, fake);
        Path profile = dir.resolve("two-way.yml");
        Files.writeString(profile, """
                direction: both
                since: 2020-01-01
                managed-list: Active Members
                consent: [confirmed, unconfirmed]
                group-lists: none
                custom-fields:
                  member_no: Member Number
                """, StandardCharsets.UTF_8);

        String load = BenchHarness.loadAverage();
        Night pull = run(context, fake, "cc", "pull", "--profile", profile.toString(), "--json", "--no-progress");
        long here = jdbc.sql("select count(*) from contact where consent_source = 'Constant Contact'").query(Long.class).single();
        Night firstBoth = run(context, fake, "cc", "sync", "--profile", profile.toString(), "--json", "--no-progress");
        Night quiet = run(context, fake, "cc", "sync", "--profile", profile.toString(), "--json", "--no-progress");

        StringBuilder md = new StringBuilder();
        md.append("## Constant Contact pull and two-way sync (").append(String.format("%,d", contacts)).append(" contacts)\n\n");
        md.append("The first pull of ").append(String.format("%,d", contacts)).append(" contacts made in the website took **")
                .append(pull.total()).append(" requests** and **").append(seconds(pull.took())).append("** and made ")
                .append(String.format("%,d", here)).append(" contacts here. The first `both` night after it (the pull, then the "
                        + "push of everyone to the managed list) took ").append(firstBoth.total()).append(" requests and ")
                .append(seconds(firstBoth.took())).append("; a **quiet night in `both`** (nothing changed on either side) took **")
                .append(quiet.total()).append(" requests** and **").append(seconds(quiet.took())).append("**, with ")
                .append(quiet.writes()).append(" writes to the account.\n\n");
        md.append("| | value |\n|---|---|\n");
        md.append("| date | ").append(BenchHarness.date()).append(" |\n");
        md.append("| how | `ConstantContactPullBenchmark`: the real `cc pull --profile two-way.yml`, then `cc sync` twice, in one JVM "
                + "against the tests' fake Constant Contact (a real HTTP server on 127.0.0.1 that counts every request), "
                + "production settings: 4 requests/s, pages of 500, imports of at most 40,000 contacts; the fake reports an "
                + "activity completed at its third poll |\n");
        md.append("| input | ").append(String.format("%,d", contacts)).append(" contacts made in the fake's website (in ")
                .append(seconds(making)).append(", not timed): names, job title, company, phone, home address, the custom "
                        + "field Member Number; a quarter explicit, the rest implicit; the profile `direction: both`, "
                        + "`since: 2020-01-01`, managed list Active Members |\n\n");
        md.append("| requests by kind | first pull | first `both` night | quiet `both` night |\n|---|---|---|---|\n");
        TreeMap<String, Long> kinds = new TreeMap<>();
        for (Night n : List.of(pull, firstBoth, quiet)) {
            n.byKind().keySet().forEach(k -> kinds.put(k, 0L));
        }
        for (String kind : kinds.keySet()) {
            md.append("| `").append(kind).append("` | ").append(pull.byKind().getOrDefault(kind, 0L)).append(" | ")
                    .append(firstBoth.byKind().getOrDefault(kind, 0L)).append(" | ")
                    .append(quiet.byKind().getOrDefault(kind, 0L)).append(" |\n");
        }
        md.append("| **total API requests** | **").append(pull.total()).append("** | **").append(firstBoth.total())
                .append("** | **").append(quiet.total()).append("** |\n");
        md.append("| writes to the account (POST, PUT, DELETE) | ").append(pull.writes()).append(" | ")
                .append(firstBoth.writes()).append(" | ").append(quiet.writes()).append(" |\n");
        md.append("| wall clock | ").append(seconds(pull.took())).append(" | ").append(seconds(firstBoth.took()))
                .append(" | ").append(seconds(quiet.took())).append(" |\n");
        double pacing = pull.total() / 4.0;
        md.append("\nThe pull reads the account a page of 500 contacts a request, so its requests grow with the contacts "
                + "changed there, not with the contacts here. Of the first pull's ").append(seconds(pull.took()))
                .append(", the 4 requests/s pacing accounts for at most ").append(String.format("%.1f s", pacing))
                .append("; the rest is storing the pages and applying each contact here, one at a time with several "
                        + "statements each (finding it by id and by email, recording its outcome, inserting it), on a shared "
                        + "machine (load average ").append(load).append(" at the start, ").append(BenchHarness.loadAverage())
                .append(" at the end). Run it with `bench/constant-contact-pull.sh [CONTACTS]`.\n");
        return md.toString();
    }

    private record Night(long total, long writes, Map<String, Long> byKind, Duration took) {
    }

    private static Night run(ConfigurableApplicationContext context, FakeConstantContact fake, String... command) {
        fake.clearRecorded();
        Instant start = Instant.now();
        JsonNode summary = cli(context, command);
        Duration took = Duration.between(start, Instant.now());
        if (!summary.get("status").asString().equals("COMPLETED")
                || summary.has("push") && !summary.get("push").get("status").asString().equals("COMPLETED")) {
            throw new IllegalStateException(String.join(" ", command) + " did not complete: " + summary);
        }
        Map<String, Long> byKind = new LinkedHashMap<>();
        long writes = 0;
        for (FakeConstantContact.Recorded r : fake.apiRequests()) {
            String path = r.path().replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "{id}");
            byKind.merge(r.method() + " " + path + purpose(r), 1L, Long::sum);
            writes += r.method().equals("GET") ? 0 : 1;
        }
        return new Night(fake.apiRequests().size(), writes, byKind, took);
    }

    private static String purpose(FakeConstantContact.Recorded r) {
        return ConstantContactBenchmark.purpose(r, query -> query.contains("status=deleted") ? "?status=deleted"
                : query.contains("updated_after") ? "?updated_after" : "");
    }

    private static JsonNode cli(ConfigurableApplicationContext context, String... args) {
        return ConstantContactBenchmark.cli(context, args);
    }

    private static String seconds(Duration d) {
        return ConstantContactBenchmark.seconds(d);
    }
}
