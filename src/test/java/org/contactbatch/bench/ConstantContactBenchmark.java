package org.contactbatch.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.contactbatch.ContactBatchApplication;
import org.contactbatch.cli.CliContext;
import org.contactbatch.cli.ContactBatchCommandLine;
import org.contactbatch.constantcontact.auth.TokenResponse;
import org.contactbatch.constantcontact.auth.TokenService;
import org.contactbatch.constantcontact.auth.TokenStore;
import org.contactbatch.constantcontact.fake.FakeConstantContact;
import org.contactbatch.sampledata.ContactGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * How many requests the Constant Contact push makes for 100,000 contacts (design §6: bulk imports of at most
 * 40,000 contacts and under 4 MB; a night with nothing changed sends no contact data). Runs the real push,
 * in this JVM, with the production settings (4 requests/s, real import limits), against the fake Constant
 * Contact of the tests, which counts every request; writes the section {@code ## Constant Contact push (N contacts)}
 * of the markdown file.
 *
 * <pre>
 * java -cp test-classes:classes:… org.contactbatch.bench.ConstantContactBenchmark [CONTACTS] [MARKDOWN]
 * </pre>
 * defaults: 100000, BENCHMARKS.md. System property {@code bench.dir} (default {@code bench-data}). The fake
 * reports an activity completed at its third status poll; the polls are paced as in production (2 s, doubling).
 */
public final class ConstantContactBenchmark {

    public static void main(String[] args) throws Exception {
        int contacts = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path markdown = Path.of(args.length > 1 ? args[1] : "BENCHMARKS.md");
        Path dir = Path.of(System.getProperty("bench.dir", "bench-data")).resolve("cc-" + System.currentTimeMillis())
                .toAbsolutePath();
        Files.createDirectories(dir);
        try (FakeConstantContact fake = new FakeConstantContact()) {
            fake.requestsPerSecond(4).pollsToComplete(3).recordBodies(true);
            fake.springProperties().forEach(System::setProperty);
            System.setProperty("contact-batch.embedded.data-dir", dir.resolve("pg").toString());
            System.setProperty("contact-batch.log-file", dir.resolve("contact-batch.log").toString());
            System.setProperty("contact-batch.reports-dir", dir.resolve("reports").toString());
            System.setProperty("contact-batch.constant-contact.token-key", "benchmark-token-key");
            ConfigurableApplicationContext context = new SpringApplication(ContactBatchApplication.class).run();
            try {
                String section = run(context, fake, contacts, dir);
                System.out.println(section);
                BenchSupport.writeMarkdown(markdown, section);
            }
            finally {
                context.close();
            }
        }
        System.exit(0);
    }

    private static String run(ConfigurableApplicationContext context, FakeConstantContact fake, int contacts, Path dir)
            throws Exception {
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        Path csv = dir.resolve("contacts-" + contacts + ".csv");
        ContactGenerator.write(csv, contacts, 42);
        cli(context, "upload", csv.toString(), "--consent", "confirmed", "--json", "--no-progress", "--by", "bench");
        // a fifth of them in a group, one in fifty on the board: group lists, so imports split by list set too
        jdbc.sql("update contact set groups = '{Volunteers}' where id % 5 = 0").update();
        jdbc.sql("update contact set groups = '{Board,Volunteers}' where id % 50 = 0").update();
        ObjectNode tokens = fake.issueTokens();
        TokenStore store = context.getBean(TokenStore.class);
        context.getBean(TokenService.class).connected(store.saveNew(new TokenResponse(tokens.get("access_token").asString(),
                tokens.get("refresh_token").asString(), Instant.now().plusSeconds(86_400), "contact_data offline_access",
                FakeConstantContact.ACCOUNT), "authorization_code"));

        Night initial = night(context, fake);
        Night unchanged = night(context, fake);
        jdbc.sql("update contact set job_title = 'Changed' where id in (select id from contact order by id limit 100)").update();
        Night hundred = night(context, fake);

        StringBuilder md = new StringBuilder();
        md.append("## Constant Contact push (").append(String.format("%,d", contacts)).append(" contacts)\n\n");
        boolean met = initial.largestImport() <= 40_000 && initial.largestBody() < 4_000_000 && unchanged.sent() == 0
                && initial.byKind().keySet().stream().noneMatch(k -> k.startsWith("POST /v3/contacts") || k.startsWith("PUT "));
        md.append("**Target (bulk imports of ≤ 40,000 contacts and < 4 MB; a night with nothing changed sends no contact data): ")
                .append(met ? "met" : "NOT met").append("** — ")
                .append(initial.total()).append(" requests for the first push (")
                .append(initial.imports()).append(" imports of at most ").append(String.format("%,d", initial.largestImport()))
                .append(" contacts, largest body ").append(String.format("%,d", initial.largestBody())).append(" bytes), ")
                .append(unchanged.total()).append(" for a night with nothing changed (no contact data), ")
                .append(hundred.total()).append(" after 100 contacts changed.\n\n");
        md.append("| | value |\n|---|---|\n");
        md.append("| date | ").append(BenchSupport.date()).append(" |\n");
        md.append("| how | `ConstantContactBenchmark`: the real `cc push --profile jobs/nightly-sync.yml` in one JVM against the tests' fake "
                + "Constant Contact (a real HTTP server on 127.0.0.1 that counts every request), production settings: 4 requests/s, "
                + "imports of at most 40,000 contacts and 3,900,000 bytes, activity polls after 2 s, 4 s, 8 s…; the fake reports "
                + "an activity completed at its third poll |\n");
        md.append("| input | ").append(String.format("%,d", contacts)).append(" contacts from `ContactGenerator` (seed 42), uploaded "
                + "with consent confirmed; a fifth in the group Volunteers, one in fifty also in Board; custom fields Lifecycle Stage "
                + "and Account Owner |\n");
        md.append("| selected / sent in the first push | ").append(String.format("%,d / %,d", initial.selected(), initial.sent()))
                .append(" (the rest skipped with a reason in the failed-rows report, e.g. emails over 50 characters) |\n\n");
        md.append("| requests by kind | first push | night, nothing changed | night, 100 changed |\n|---|---|---|---|\n");
        TreeMap<String, Long> kinds = new TreeMap<>();
        for (Night n : List.of(initial, unchanged, hundred)) {
            n.byKind().keySet().forEach(k -> kinds.put(k, 0L));
        }
        for (String kind : kinds.keySet()) {
            md.append("| `").append(kind).append("` | ").append(initial.byKind().getOrDefault(kind, 0L)).append(" | ")
                    .append(unchanged.byKind().getOrDefault(kind, 0L)).append(" | ")
                    .append(hundred.byKind().getOrDefault(kind, 0L)).append(" |\n");
        }
        md.append("| **total API requests** | **").append(initial.total()).append("** | **").append(unchanged.total())
                .append("** | **").append(hundred.total()).append("** |\n");
        md.append("| contacts in import bodies | ").append(String.format("%,d", initial.sent())).append(" | ")
                .append(unchanged.sent()).append(" | ").append(hundred.sent()).append(" |\n");
        md.append("| wall clock of the push | ").append(seconds(initial.took())).append(" | ").append(seconds(unchanged.took()))
                .append(" | ").append(seconds(hundred.took())).append(" |\n");
        md.append("\nAt Constant Contact's 10,000 requests a day, the first push uses ")
                .append(String.format("%.1f", initial.total() / 100.0)).append("% of a day's budget and a quiet night ")
                .append(String.format("%.2f", unchanged.total() / 100.0)).append("%. The time is mostly the 4 requests/s "
                        + "pacing and the pauses between activity polls. Run it with "
                        + "`java -cp <test classpath> org.contactbatch.bench.ConstantContactBenchmark [CONTACTS]`.\n");
        return md.toString();
    }

    private record Night(long total, Map<String, Long> byKind, int imports, int largestImport, int largestBody, long sent,
            long selected, Duration took) {
    }

    private static Night night(ConfigurableApplicationContext context, FakeConstantContact fake) {
        fake.clearRecorded();
        Instant start = Instant.now();
        JsonNode summary = cli(context, "cc", "push", "--profile", "jobs/nightly-sync.yml", "--json", "--no-progress");
        Duration took = Duration.between(start, Instant.now());
        if (!summary.get("status").asString().equals("COMPLETED")) {
            throw new IllegalStateException("the push did not complete: " + summary);
        }
        Map<String, Long> byKind = new LinkedHashMap<>();
        for (FakeConstantContact.Recorded r : fake.apiRequests()) {
            String path = r.path().replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "{id}");
            byKind.merge(r.method() + " " + path + (r.query() != null && r.query().contains("status=unsubscribed")
                    ? "?status=unsubscribed" : ""), 1L, Long::sum);
        }
        var imports = fake.apiRequests("POST", "/activities/contacts_json_import");
        int largest = imports.stream().mapToInt(r -> r.json().get("import_data").size()).max().orElse(0);
        int body = imports.stream().mapToInt(r -> r.body().length).max().orElse(0);
        long total = fake.apiRequests().size();
        return new Night(total, byKind, imports.size(), largest, body, fake.importedEmails().size(),
                summary.get("counts").get("selected").asLong(), took);
    }

    private static JsonNode cli(ConfigurableApplicationContext context, String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = ContactBatchCommandLine.execute(new CliContext(() -> context, new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(err, true)), args);
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", args) + " exited " + code + ": " + err + out);
        }
        return JsonMapper.shared().readTree(out.toString());
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
