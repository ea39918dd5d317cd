package org.contactbatch.constantcontact.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.contactbatch.constantcontact.CliAccess;
import org.contactbatch.support.Cli;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The sample data loaded the way people load it, a test profile, and reading what a push did. */
final class PushFixtures {

    static final Path SAMPLES = Path.of("sample-data");

    private PushFixtures() {
    }

    /**
     * The 1,000 clean sample contacts (consent confirmed) and the sample with mistakes (its own consent
     * column: confirmed, unconfirmed, pending; one contact without an email), with groups given to some.
     */
    static void loadSampleData(ApplicationContext context, JdbcClient jdbc) {
        // uploaded once per test JVM, then copied back before each test: the upload is not what is tested here
        if (!snapshotTaken) {
            upload(context, SAMPLES.resolve("contacts.csv"), "--consent", "confirmed");
            upload(context, SAMPLES.resolve("contacts-with-errors.csv"));
            jdbc.sql("update contact set groups = '{Volunteers}' where lifecycle_stage = 'member'").update();
            jdbc.sql("update contact set groups = '{Board,Volunteers}' where id % 97 = 0").update();
            jdbc.sql("drop table if exists cc_test_sample_contact").update();
            jdbc.sql("create table cc_test_sample_contact as select * from contact").update();
            snapshotTaken = true;
            return;
        }
        String columns = String.join(", ", jdbc.sql("""
                select column_name from information_schema.columns
                where table_name = 'contact' and is_generated = 'NEVER' and table_schema = current_schema()
                order by ordinal_position""").query(String.class).list());
        jdbc.sql("insert into contact (" + columns + ") overriding system value select " + columns
                + " from cc_test_sample_contact").update();
        jdbc.sql("select setval(pg_get_serial_sequence('contact', 'id'), (select max(id) from contact))").query(Long.class).single();
    }

    private static boolean snapshotTaken;

    static void upload(ApplicationContext context, Path file, String... options) {
        List<String> args = new ArrayList<>(List.of("upload", file.toString(), "--json", "--no-progress", "--by", "tester"));
        args.addAll(List.of(options));
        Cli.Result result = CliAccess.run(context, args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isZero();
    }

    /** A profile like jobs/nightly-sync.yml, in a test's directory. */
    static Path profile(Path dir, String name, String extra) throws IOException {
        Path file = dir.resolve(name + ".yml");
        Files.writeString(file, """
                managed-list: Active Members
                consent: [confirmed, unconfirmed]
                group-lists: all
                custom-fields:
                  lifecycle_stage: Lifecycle Stage
                  owner: Account Owner
                """ + extra, StandardCharsets.UTF_8);
        return file;
    }

    static JsonNode push(ApplicationContext context, String... options) {
        List<String> args = new ArrayList<>(List.of("cc", "push", "--json", "--no-progress"));
        args.addAll(List.of(options));
        Cli.Result result = CliAccess.run(context, args.toArray(String[]::new));
        assertThat(result.err()).isEmpty();
        return JsonMapper.shared().readTree(result.out());
    }

    /**
     * The emails that should be in Constant Contact: an email Constant Contact's bulk import takes (at most 50
     * characters), consent confirmed or unconfirmed, active, not unsubscribed.
     */
    static Set<String> sendable(JdbcClient jdbc) {
        return new TreeSet<>(jdbc.sql("""
                select lower(trim(email)) from contact
                where email is not null and length(trim(email)) <= 50 and consent_state in ('confirmed', 'unconfirmed')
                  and active and not cc_unsubscribed""")
                .query(String.class).list());
    }

    static List<CSVRecord> report(JsonNode summary, String kind) throws IOException {
        Path file = Path.of(summary.get("reports").get(kind).asString());
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try (var parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new java.io.StringReader(text.startsWith("\uFEFF") ? text.substring(1) : text))) {
            return parser.getRecords();
        }
    }

    static Set<String> lower(java.util.Collection<String> emails) {
        Set<String> set = new TreeSet<>();
        emails.forEach(e -> set.add(e.toLowerCase(Locale.ROOT)));
        return set;
    }

    static long count(JsonNode summary, String name) {
        return summary.get("counts").get(name).asLong();
    }
}
