package org.contactbatch.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

import org.contactbatch.ContactBatchApplication;
import org.contactbatch.bench.BenchHarness.Args;
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
 * How many requests the Constant Contact push makes for 100,000 contacts (its targets: bulk imports of at most
 * 40,000 contacts and under 4 MB, the API's limits; a night with nothing changed sends no contact data, so a nightly
 * sync costs the daily quota nothing). Runs the real push,
 * in this JVM, with the production settings (4 requests/s, real import limits), against the fake Constant
 * Contact of the tests, which counts every request; writes the section {@code ## Constant Contact push (N contacts)}
 * of the markdown file.
 *
 * <pre>
 * java -cp bench-classes:test-classes:classes:… org.contactbatch.bench.ConstantContactBenchmark [CONTACTS] [MARKDOWN]
 * </pre>
 * defaults: 100000, BENCHMARKS.md. System property {@code bench.dir} (default {@code bench-data}). The fake
 * reports an activity completed at its third status poll; the polls are paced as in production (2 s, doubling).
 */
public final class ConstantContactBenchmark {

    public static void main(String[] argv) throws Exception {
        BenchHarness.main("ConstantContactBenchmark", argv, 100_000, false, args -> runAgainstFake(args, "cc",
                fake -> fake.requestsPerSecond(4).pollsToComplete(3).recordBodies(true),
                (context, fake, dir) -> run(context, fake, args.rows(), dir)));
    }

    /** What a benchmark measures, in the application's context, against the fake; the markdown section it returns. */
    interface Measure {
        String run(ConfigurableApplicationContext context, FakeConstantContact fake, Path dir) throws Exception;
    }

    /**
     * Starts the fake Constant Contact ({@code configure} sets its pace), then the application against it at
     * production settings, with a data home of its own in a new folder {@code PREFIX-TIME} of the bench directory
     * (its embedded database stops soon after the benchmark), measures, and reports the section.
     */
    static void runAgainstFake(Args args, String prefix, Consumer<FakeConstantContact> configure, Measure measure)
            throws Exception {
        Path dir = args.benchDir().resolve(prefix + "-" + System.currentTimeMillis());
        Files.createDirectories(dir);
        try (FakeConstantContact fake = new FakeConstantContact()) {
            configure.accept(fake);
            fake.springProperties().forEach(System::setProperty);
            System.setProperty("contact-batch.home", dir.resolve("home").toString());
            System.setProperty("contact-batch.embedded.idle-stop", "10s");
            System.setProperty("contact-batch.constant-contact.token-key", "benchmark-token-key");
            ConfigurableApplicationContext context = new SpringApplication(ContactBatchApplication.class).run();
            try {
                BenchHarness.report(args.markdown(), measure.run(context, fake, dir));
            }
            finally {
                context.close();
            }
        }
    }

    /** Connects the application to the fake's account, as {@code cc connect} would. */
    static void connect(ConfigurableApplicationContext context, FakeConstantContact fake) {
        ObjectNode tokens = fake.issueTokens();
        TokenStore store = context.getBean(TokenStore.class);
        context.getBean(TokenService.class).connected(store.saveNew(new TokenResponse(tokens.get("access_token").asString(),
                tokens.get("refresh_token").asString(), Instant.now().plusSeconds(86_400), FakeConstantContact.DEFAULT_SCOPES,
                FakeConstantContact.ACCOUNT), "authorization_code"));
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
        connect(context, fake);

        Night initial = night(context, fake);
        Night unchanged = night(context, fake);
        jdbc.sql("update contact set job_title = 'Changed' where id in (select id from contact order by id limit 100)").update();
        Night hundred = night(context, fake);
        Night audit = run(context, fake, "cc", "audit", "--profile", "jobs/nightly-sync.yml", "--json");
        long drift = audit.summary().get("counts").get("differences").asLong();
        long readBack = initial.byKind().getOrDefault(READ_BACK, 0L);
        long withoutReadBack = initial.total() - readBack;

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
        md.append("**Target (the read-back does not more than double the first push): ")
                .append(initial.total() <= 2 * withoutReadBack ? "met" : "NOT met").append("** — the first push took ")
                .append(withoutReadBack).append(" requests to send and ").append(readBack)
                .append(" more to read the account back (").append(String.format("%.1f", initial.total() / (double) withoutReadBack))
                .append("× in all). The audit of the whole account took ").append(audit.total())
                .append(" requests and found ").append(drift).append(" differences after these pushes.\n\n");
        md.append("| | value |\n|---|---|\n");
        md.append("| date | ").append(BenchHarness.date()).append(" |\n");
        md.append("| how | `ConstantContactBenchmark`: the real `cc push --profile jobs/nightly-sync.yml` in one JVM against the tests' fake "
                + "Constant Contact (a real HTTP server on 127.0.0.1 that counts every request), production settings: 4 requests/s, "
                + "imports of at most 40,000 contacts and 3,900,000 bytes, activity polls after 2 s, 4 s, 8 s…; the fake reports "
                + "an activity completed at its third poll |\n");
        md.append("| input | ").append(String.format("%,d", contacts)).append(" contacts from `ContactGenerator` (seed 42), uploaded "
                + "with consent confirmed; a fifth in the group Volunteers, one in fifty also in Board; custom fields Lifecycle Stage "
                + "and Account Owner |\n");
        md.append("| selected / sent in the first push | ").append(String.format("%,d / %,d", initial.selected(), initial.sent()))
                .append(" (the rest skipped with a reason in the failed-rows report, e.g. emails over 50 characters) |\n\n");
        md.append("| requests by kind | first push | night, nothing changed | night, 100 changed | `cc audit` |\n|---|---|---|---|---|\n");
        TreeMap<String, Long> kinds = new TreeMap<>();
        for (Night n : List.of(initial, unchanged, hundred, audit)) {
            n.byKind().keySet().forEach(k -> kinds.put(k, 0L));
        }
        for (String kind : kinds.keySet()) {
            md.append("| `").append(kind).append("` | ").append(initial.byKind().getOrDefault(kind, 0L)).append(" | ")
                    .append(unchanged.byKind().getOrDefault(kind, 0L)).append(" | ")
                    .append(hundred.byKind().getOrDefault(kind, 0L)).append(" | ")
                    .append(audit.byKind().getOrDefault(kind, 0L)).append(" |\n");
        }
        md.append("| **total API requests** | **").append(initial.total()).append("** | **").append(unchanged.total())
                .append("** | **").append(hundred.total()).append("** | **").append(audit.total()).append("** |\n");
        md.append("| contacts in import bodies | ").append(String.format("%,d", initial.sent())).append(" | ")
                .append(unchanged.sent()).append(" | ").append(hundred.sent()).append(" | 0 |\n");
        md.append("| wall clock | ").append(seconds(initial.took())).append(" | ").append(seconds(unchanged.took()))
                .append(" | ").append(seconds(hundred.took())).append(" | ").append(seconds(audit.took())).append(" |\n");
        md.append("\nAt Constant Contact's 10,000 requests a day, the first push uses ")
                .append(String.format("%.1f", initial.total() / 100.0)).append("% of a day's budget and a quiet night ")
                .append(String.format("%.2f", unchanged.total() / 100.0)).append("%. The time is mostly the 4 requests/s "
                        + "pacing and the pauses between activity polls. Run it with "
                        + "`bench/constant-contact.sh [CONTACTS]`.\n");
        return md.toString();
    }

    private record Night(long total, Map<String, Long> byKind, int imports, int largestImport, int largestBody, long sent,
            long selected, Duration took, JsonNode summary) {
    }

    /** GET /contacts by what it is for (the fake's next-page cursors are the query, Base64-encoded). */
    static final String READ_BACK = "GET /v3/contacts?updated_after (read-back, account changes)";

    private static Night night(ConfigurableApplicationContext context, FakeConstantContact fake) {
        return run(context, fake, "cc", "push", "--profile", "jobs/nightly-sync.yml", "--json", "--no-progress");
    }

    private static Night run(ConfigurableApplicationContext context, FakeConstantContact fake, String... command) {
        fake.clearRecorded();
        Instant start = Instant.now();
        JsonNode summary = cli(context, command);
        Duration took = Duration.between(start, Instant.now());
        if (!summary.get("status").asString().equals("COMPLETED")) {
            throw new IllegalStateException(String.join(" ", command) + " did not complete: " + summary);
        }
        Map<String, Long> byKind = new LinkedHashMap<>();
        for (FakeConstantContact.Recorded r : fake.apiRequests()) {
            String path = r.path().replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "{id}");
            byKind.merge(r.method() + " " + path + purpose(r), 1L, Long::sum);
        }
        var imports = fake.apiRequests("POST", "/activities/contacts_json_import");
        int largest = imports.stream().mapToInt(r -> r.json().get("import_data").size()).max().orElse(0);
        int body = imports.stream().mapToInt(r -> r.body().length).max().orElse(0);
        long total = fake.apiRequests().size();
        JsonNode selected = summary.get("counts").get("selected");
        return new Night(total, byKind, imports.size(), largest, body, fake.importedEmails().size(),
                selected == null ? 0 : selected.asLong(), took, summary);
    }

    /** The query of a GET /contacts, a next page's cursor decoded to the query it continues; null for another request. */
    static String contactsQuery(FakeConstantContact.Recorded r) {
        if (!r.path().equals("/v3/contacts") || r.query() == null) {
            return null;
        }
        String query = r.query();
        if (query.startsWith("cursor=")) {
            query = new String(java.util.Base64.getUrlDecoder().decode(
                    java.net.URLDecoder.decode(query.substring("cursor=".length()), java.nio.charset.StandardCharsets.UTF_8)),
                    java.nio.charset.StandardCharsets.UTF_8);
        }
        return query;
    }

    private static String purpose(FakeConstantContact.Recorded r) {
        return purpose(r, query -> query.contains("updated_after") ? READ_BACK.substring("GET /v3/contacts".length())
                : query.contains("custom_fields") ? "?status=all (the audit: every contact)" : "?email=…");
    }

    /**
     * What a request is for, to count it by kind: for a GET /contacts, the unsubscribed list or what {@code other}
     * makes of its query (the benchmarks ask for other kinds); nothing for other requests, which their path tells.
     */
    static String purpose(FakeConstantContact.Recorded r, Function<String, String> other) {
        String query = contactsQuery(r);
        if (query == null) {
            return "";
        }
        return query.contains("status=unsubscribed") ? "?status=unsubscribed" : other.apply(query);
    }

    static JsonNode cli(ConfigurableApplicationContext context, String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = ContactBatchCommandLine.execute(new CliContext(() -> context, new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(err, true)), args);
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", args) + " exited " + code + ": " + err + out);
        }
        return JsonMapper.shared().readTree(out.toString());
    }

    static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
