package org.contactbatch.bench;

import static org.contactbatch.bench.BenchHarness.mb;
import static org.contactbatch.bench.BenchHarness.say;
import static org.contactbatch.bench.BenchHarness.seconds;
import static org.contactbatch.bench.BenchHarness.secs;
import static org.contactbatch.bench.BenchHarness.tail;

import java.io.IOException;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.contactbatch.bench.BenchHarness.AppBenchmark;
import org.contactbatch.bench.BenchHarness.Args;
import org.contactbatch.bench.BenchHarness.BenchmarkFailure;
import org.contactbatch.bench.BenchHarness.Load;

/**
 * The console's contacts page on a large database (issue 13: under a second on 1,000,000 contacts, a benchmark and
 * not a test). Loads the generated contacts CSV of {@link UploadBenchmark} with the app's own upload into an
 * embedded PostgreSQL of its own, {@code VACUUM ANALYZE}s it, starts {@code contact-batch serve} on it, logs in over
 * HTTP, and times each page as a browser asks for it (the server's whole answer, HTML included): the first page, a
 * filtered page, a search, the last page (the oldest first) and a page deep in the list reached by following "Next
 * page" links. Each is asked once to warm up, then {@code bench.repeats} times (default 5); the median is used. The
 * figures are printed and written to a section {@code ## Contacts page (N contacts)} of the markdown file.
 *
 * <pre>
 * java -cp bench-classes:test-classes:classes:… org.contactbatch.bench.ContactsPageBenchmark [ROWS] [APP_JAR] [MARKDOWN]
 * </pre>
 */
public final class ContactsPageBenchmark extends AppBenchmark {

    static final double TARGET_SECONDS = 1.0;
    static final String DB = "contacts_page_bench";
    static final int DEEP = 20;
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern NEXT = Pattern.compile("<a href=\"(/contacts\\?[^\"]*)\" id=\"next-page\"");
    private static final Pattern ROW = Pattern.compile("<tr id=\"contact-");

    record Timed(String page, String path, double median, double best, int rows) {
    }

    private final int repeats = Integer.getInteger("bench.repeats", 5);
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private String base;

    private ContactsPageBenchmark(Args args) {
        super(args);
    }

    public static void main(String[] argv) throws Exception {
        BenchHarness.main("ContactsPageBenchmark", argv, 1_000_000, true,
                args -> new ContactsPageBenchmark(args).run("pg-contacts"));
    }

    @Override
    protected String measure() throws Exception {
        Load load = BenchHarness.loadContacts(pg, DB, app("contacts-load", List.of("upload", csv.toString(), "--json",
                "--no-progress", "--list", "Members")), logs, "contacts-load", rows, "contact");
        String lastName = pg.queryString(DB, "select last_name from contact where last_name is not null"
                + " group by last_name order by count(*) limit 1");

        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        base = "http://localhost:" + port;
        Process serve = app("contacts-serve", List.of("serve", "--contact-batch.web.port=" + port,
                "--contact-batch.web.users[0].name=bench", "--contact-batch.web.users[0].password={noop}bench",
                "--contact-batch.web.users[0].role=ADMIN"))
                .redirectErrorStream(true).redirectOutput(logs.resolve("contacts-serve.out").toFile()).start();
        List<Timed> timed = new ArrayList<>();
        try {
            awaitConsole(serve);
            logIn();
            Map<String, String> pages = new LinkedHashMap<>();
            pages.put("first page (last changed first)", "/contacts");
            pages.put("filtered: stage customer", "/contacts?stage=customer");
            pages.put("filtered: list Members, tag none matching", "/contacts?list=Members&tag=no-such-tag");
            pages.put("search: a last name (" + lastName + ")",
                    "/contacts?q=" + URLEncoder.encode(lastName, StandardCharsets.UTF_8));
            pages.put("search: an email's start (\"xiao\")", "/contacts?q=xiao");
            pages.put("last page (order: last changed last)", "/contacts?order=oldest");
            pages.put("page " + DEEP + " (by 19 Next links)", deepPage());
            for (Map.Entry<String, String> page : pages.entrySet()) {
                timed.add(time(page.getKey(), page.getValue()));
            }
        }
        finally {
            serve.destroy();
            serve.waitFor();
        }
        return section(load, timed, BenchHarness.loadAverage());
    }

    private ProcessBuilder app(String logName, List<String> appArgs) throws IOException {
        return app(logName, "contacts", DB, appArgs);
    }

    private void awaitConsole(Process serve) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!serve.isAlive()) {
                throw new BenchmarkFailure("serve stopped (exit " + serve.exitValue() + "):\n"
                        + tail(logs.resolve("contacts-serve.out"), 30));
            }
            try {
                if (get("/login").statusCode() == 200) {
                    return;
                }
            }
            catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new BenchmarkFailure("the console did not answer in two minutes");
    }

    private void logIn() throws Exception {
        String token = csrf(get("/login").body());
        HttpResponse<String> login = post("/login", "username=bench&password=bench&_csrf=" + token);
        if (login.statusCode() != 302 || login.headers().firstValue("Location").orElse("").contains("error")) {
            throw new BenchmarkFailure("could not log in: " + login.statusCode());
        }
    }

    private String deepPage() throws Exception {
        String path = "/contacts";
        for (int page = 1; page < DEEP; page++) {
            Matcher next = NEXT.matcher(get(path).body());
            if (!next.find()) {
                throw new BenchmarkFailure("no Next page link on page " + page);
            }
            path = next.group(1).replace("&amp;", "&");
        }
        return path;
    }

    private Timed time(String name, String path) throws Exception {
        get(path);
        List<Double> seconds = new ArrayList<>();
        int shown = 0;
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            HttpResponse<String> page = get(path);
            seconds.add(seconds(start));
            if (page.statusCode() != 200) {
                throw new BenchmarkFailure(path + " answered " + page.statusCode());
            }
            shown = (int) ROW.matcher(page.body()).results().count();
        }
        List<Double> sorted = seconds.stream().sorted().toList();
        Timed t = new Timed(name, path, sorted.get(sorted.size() / 2), sorted.get(0), shown);
        say("  %s: median %s, best %s, %d rows", name, ms(t.median()), ms(t.best()), shown);
        return t;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String form) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String csrf(String page) {
        Matcher token = CSRF.matcher(page);
        if (!token.find()) {
            throw new BenchmarkFailure("no CSRF token on the login page");
        }
        return URLEncoder.encode(token.group(1), StandardCharsets.UTF_8);
    }

    private static String ms(double seconds) {
        return String.format("%,.0f ms", seconds * 1000);
    }

    private String section(Load load, List<Timed> timed, String loadAtEnd) {
        double worst = timed.stream().mapToDouble(Timed::median).max().orElse(0);
        StringBuilder md = new StringBuilder();
        md.append("## Contacts page (").append(String.format("%,d", rows)).append(" contacts)\n\n");
        List<String> over = timed.stream().filter(t -> t.median() >= TARGET_SECONDS)
                .map(t -> t.page() + " " + ms(t.median())).toList();
        md.append("**Target (every page under ").append(String.format("%.0f", TARGET_SECONDS)).append(" s): ")
                .append(over.isEmpty() ? "met" : "NOT met for " + String.join("; ", over))
                .append("** — the slowest page's median was ").append(ms(worst)).append(" (median of ").append(repeats)
                .append(" after a warm-up).\n\n");
        describeRun(md, loadAtEnd);
        md.append("| data | ").append(String.format("%,d", rows)).append(" contacts loaded by `contact-batch upload` of `")
                .append(BenchHarness.relative(csv)).append("` (all in the list Members) in ").append(secs(load.seconds()))
                .append(", then `vacuum (analyze) contact`; database ").append(mb(load.databaseBytes())).append(" |\n");
        md.append("| server | `" + BenchHarness.LAUNCH + " serve` on that database; each page asked by an HTTP "
                + "client logged in as an admin (the whole answer: query, Thymeleaf, HTML), 50 contacts a page |\n\n");
        md.append("| page | request | median | best | rows shown |\n|---|---|---|---|---|\n");
        for (Timed t : timed) {
            md.append("| ").append(t.page()).append(" | `").append(t.path().replace("|", "\\|")).append("` | ")
                    .append(ms(t.median())).append(" | ").append(ms(t.best())).append(" | ").append(t.rows())
                    .append(" |\n");
        }
        md.append("\nThe list is ordered by the last change (`updated_at`, then `id`) and paged by where the last page "
                + "ended (keyset), using the index on `updated_at`: no offset and no count of the whole table, so page "
                + DEEP + " and the last page cost what the first does. A filter that matches few contacts (the tag) "
                + "or a search scans until it has 50 or reaches the end — for a filter that matches none, the whole "
                + "table. Tags, groups, owners and searches have no index of their own, because every index on "
                + "`contact` is paid by the bulk upload. Tried on 1,000,000 generated contacts (2026-12-02, a loaded "
                + "machine): GIN indexes on the lower-cased tags and groups (through an immutable SQL function) and "
                + "one on `lower(owner)` made inserting the same million rows 1.3–2.5× slower (44–47 s → 57–77 s; "
                + "20–27 s → 50 s in a quieter moment), and the planner still walked `updated_at` for the page's "
                + "`limit 51`, so the tag that matches nothing got slower, not faster. Left out for that reason; "
                + "a tag table of its own or trigrams for the search are the next things to measure.\n");
        return md.toString();
    }
}
