package org.contactbatch.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.contactbatch.support.Cli;
import org.contactbatch.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.batch.core.BatchStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console in a real browser: Debian's headless Chromium driven by its chromedriver through
 * Selenium. An admin uploads the sample file with errors, opens its execution and downloads the
 * failed rows; starts a prepared re-import; a reviewer is not offered Start and is refused when
 * asking for it anyway. Skipped (not failed) where Chromium or chromedriver is not installed.
 * <p>
 * Nothing is read right after an action: every click that leads to a page waits until that page
 * has replaced the last one ({@link #go}), a job's status is read until it is final, a download until
 * Chrome has finished it, all through {@link #await}; there is no implicit wait and no sleep.
 */
@WebConsoleTest
class WebConsoleBrowserTests {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SAMPLES = Path.of("sample-data");
    /** How long anything may take to happen, on a loaded machine too. */
    static final Duration WAIT = Duration.ofSeconds(60);

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path temp;

    WebDriver browser;
    Path downloads;
    Cli cli;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the browser test needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver): "
                        + "apt-get install -y chromium chromium-driver");
        TestDatabase.clean(jdbc);
        cli = new Cli(context);
        // contacts to work on, some of whose emails the sample with errors uses again
        assertThat(cli.run("upload", "sample-data/contacts.csv", "--no-progress", "--again").exitCode()).isZero();
        downloads = Files.createDirectories(temp.resolve("downloads"));
        browser = chromium(Files.createDirectories(temp.resolve("profile")), downloads);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anAdminUploadsDownloadsTheFailedRowsAndStartsAReimportAndAReviewerCannotStartOne() throws IOException {
        logIn(WebConsoleTest.ADMIN, WebConsoleTest.ADMIN_PASSWORD);
        assertThat(browser.getCurrentUrl()).endsWith("/executions");

        // upload the sample with errors: dry run first, then run it and land on its execution
        go(By.id("nav-upload"));
        browser.findElement(By.id("file")).sendKeys(SAMPLES.resolve("contacts-with-errors.csv").toAbsolutePath().toString());
        go(By.id("dry-run"));
        assertThat(text(By.id("columns"))).contains("Email").contains("email").contains("Lifecycle Stage")
                .contains("lifecycle_stage");
        assertThat(text(By.id("preview-rows"))).contains("amelia.hart@example.com").contains("INVALID_EMAIL");
        keep("upload-preview");
        // map a column by hand: the job title is kept as a custom field instead
        assertThat(text(By.id("target-5"))).isEqualTo("job_title");
        new Select(browser.findElement(By.id("choose-5"))).selectByValue("custom:job_title");
        go(By.id("remap"));
        assertThat(text(By.id("target-5"))).isEqualTo("custom field 'job_title'");
        go(By.id("run"));
        assertThat(browser.getCurrentUrl()).matches(".*/executions/\\d+");
        long upload = Long.parseLong(text(By.id("execution-id")));
        awaitStatus("COMPLETED");
        assertThat(text(By.className("facts"))).contains("by " + WebConsoleTest.ADMIN);
        assertThat(countShown("rejected")).isEqualTo(11);
        assertThat(countShown("inserted")).isEqualTo(14);
        assertThat(jdbc.sql("select count(*) filter (where jsonb_exists(custom_fields, 'job_title')) || ' '"
                + " || count(*) filter (where job_title is not null) from contact where source_import_id = :upload")
                .param("upload", jdbc.sql("select job_instance_id from batch_job_execution where job_execution_id = :e")
                        .param("e", upload).query(Long.class).single())
                .query(String.class).single()).isEqualTo("14 0");
        keep("execution");

        // the failed rows as a workbook, the bad email filled red with its reason
        browser.findElement(By.id("report-failed-rows-xlsx")).click();
        try (var workbook = org.apache.poi.ss.usermodel.WorkbookFactory.create(awaitDownload("failed-rows.xlsx").toFile())) {
            var badEmail = workbook.getSheetAt(0).getRow(1).getCell(0);
            assertThat(badEmail.getStringCellValue()).isEqualTo("maria.garcia@");
            assertThat(badEmail.getCellComment().getString().getString()).contains("not a valid email");
        }

        // download the failed rows from the execution page, as a person does
        browser.findElement(By.id("report-failed-rows")).click();
        Path downloaded = awaitDownload("failed-rows.csv");
        List<CSVRecord> rows = records(downloaded);
        List<CSVRecord> expected = records(SAMPLES.resolve("contacts-with-errors.expected.csv"));
        assertThat(rows).extracting(r -> r.get("line") + "," + r.get("column") + "," + r.get("code"))
                .containsExactlyElementsOf(expected.stream().map(r -> r.get("line") + "," + r.get("column") + ","
                        + r.get("code")).toList());
        assertThat(rows.get(0).get("Email")).isEqualTo("maria.garcia@");
        assertThat(Files.readAllBytes(downloaded)).as("the very file the job wrote").isEqualTo(Files.readAllBytes(
                Path.of(jdbc.sql("select path from job_report where job_execution_id = :e and kind = 'failed-rows'")
                        .param("e", upload).query(String.class).single())));

        // an edited sheet prepared in the browser: its errors and warnings on the page, what it will do, start it
        Path edited = sheet("web-cleanup", "Renamed");
        Files.writeString(edited, "424242424,0,nobody@example.com,Nobody\r\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        jdbc.sql("update contact set version = version + 1 where id = (select min(id) from contact)").update();
        browser.get(url("/reimports"));
        browser.findElement(By.id("reimport-file")).sendKeys(edited.toAbsolutePath().toString());
        browser.findElement(By.id("reimport-tag")).sendKeys("web-cleanup");
        go(By.id("prepare"));
        assertThat(browser.getCurrentUrl()).matches(".*/executions/\\d+");
        awaitStatus("COMPLETED");
        go(By.partialLinkText("Re-import "));
        long first = Long.parseLong(browser.getCurrentUrl().replaceAll(".*/reimports/(\\d+)$", "$1"));
        assertThat(text(By.id("errors"))).contains("5").contains("UNKNOWN_ID");
        assertThat(text(By.id("warnings"))).contains("2").contains("STALE_VERSION");
        assertThat(text(By.id("changes"))).contains("first_name").contains("Renamed");
        keep("reimport");
        assertThat(text(By.id("start"))).isEqualTo("Start: update 3 contacts (3 changed fields) and tag them "
                + "'web-cleanup'; 1 row with errors is left out");
        go(By.id("start"));
        assertThat(browser.getCurrentUrl()).matches(".*/executions/\\d+");
        awaitStatus("COMPLETED");
        assertThat(countShown("updated")).isEqualTo(3);
        assertThat(jdbc.sql("select count(*) from contact where first_name = 'Renamed' and 'web-cleanup' = any(tags)")
                .query(Long.class).single()).isEqualTo(3);
        assertThat(status(first)).isEqualTo("applied");

        // one failed run, so the list shows what people will see
        cli.run("upload", "sample-data/contacts-with-errors.csv", "--max-errors", "5", "--again", "--by", "cron");
        long second = prepare("second-look", "Again");
        browser.get(url("/executions"));
        keep("executions-page");

        // a reviewer: no Start offered, and asking for it anyway is refused
        go(By.id("logout"));
        assertThat(browser.getCurrentUrl()).endsWith("/login?logout");
        logIn(WebConsoleTest.REVIEWER, WebConsoleTest.REVIEWER_PASSWORD);
        assertThat(browser.getCurrentUrl()).endsWith("/executions");
        assertThat(browser.findElements(By.id("nav-upload"))).isEmpty();
        browser.get(url("/reimports/" + second));
        assertThat(text(By.id("reimport-status"))).isEqualTo("prepared");
        assertThat(browser.findElements(By.id("start"))).isEmpty();
        assertThat(browser.findElements(By.tagName("button"))).extracting(WebElement::getText)
                .noneMatch(label -> label.startsWith("Start"));
        String token = browser.findElement(By.cssSelector("input[name=_csrf]")).getAttribute("value");
        Object answer = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/reimports/' + arguments[0] + '/start', {method: 'POST', redirect: 'manual',
                    headers: {'Content-Type': 'application/x-www-form-urlencoded'},
                    body: '_csrf=' + encodeURIComponent(arguments[1])})
                  .then(r => done(r.status), e => done('error ' + e));""", second, token);
        assertThat(answer).isEqualTo(403L);
        assertThat(status(second)).isEqualTo("prepared");
        assertThat(jdbc.sql("select count(*) from batch_job_execution e join batch_job_instance i using (job_instance_id)"
                + " where i.job_name = 'reimportStart'").query(Long.class).single()).isEqualTo(1);
        // the reviewer still reads and downloads
        browser.get(url("/executions/" + upload));
        browser.findElement(By.id("report-failed-rows")).click();
        assertThat(Files.readAllBytes(awaitDownload("failed-rows (1).csv"))).isEqualTo(Files.readAllBytes(downloaded));
    }

    @Test
    void anAdminFindsContactsExportsTicksAndKeepsOneUpToDateAndAReviewerChangesNothing() throws IOException {
        logIn(WebConsoleTest.ADMIN, WebConsoleTest.ADMIN_PASSWORD);

        // filter, tick two, export them, download the file
        go(By.id("nav-contacts"));
        new Select(browser.findElement(By.id("filter-stage"))).selectByValue("customer");
        go(By.id("search"));
        List<WebElement> rows = browser.findElements(By.cssSelector("#contacts tbody tr[id^=contact-]"));
        assertThat(rows).isNotEmpty().allSatisfy(row -> assertThat(row.getText()).contains("customer"));
        keep("contacts");
        List<Long> ticked = new ArrayList<>();
        for (WebElement row : rows.subList(0, 2)) {
            row.findElement(By.className("tick")).click();
            ticked.add(Long.parseLong(row.getAttribute("id").substring("contact-".length())));
        }
        new Select(browser.findElement(By.id("action"))).selectByValue("export-csv");
        go(By.id("apply-action"));
        assertThat(browser.getCurrentUrl()).matches(".*/executions/\\d+");
        long export = Long.parseLong(text(By.id("execution-id")));
        awaitStatus("COMPLETED");
        browser.findElement(By.id("report-export")).click();
        List<CSVRecord> exported = records(awaitDownload("contacts-" + export + ".csv"));
        assertThat(exported).extracting(r -> Long.parseLong(r.get("id"))).containsExactlyInAnyOrderElementsOf(ticked);
        go(By.id("nav-exports"));
        assertThat(text(By.id("export-" + export))).contains(WebConsoleTest.ADMIN).contains("IDs from a file");
        keep("exports");

        // one contact: add it by hand, edit it, deactivate and reactivate it
        go(By.id("nav-contacts"));
        go(By.id("add-contact"));
        browser.findElement(By.id("field-email")).sendKeys("robin.hale@example.org");
        browser.findElement(By.id("field-first_name")).sendKeys("Robin");
        browser.findElement(By.id("field-postal_code")).sendKeys("02134");
        browser.findElement(By.id("consent-confirmed")).click();
        go(By.id("save"));
        assertThat(text(By.id("notice"))).startsWith("Added contact");
        long robin = Long.parseLong(text(By.id("contact-id")));
        assertThat(text(By.id("contact-consent"))).isEqualTo("confirmed");
        keep("contact");
        WebElement firstName = browser.findElement(By.id("field-first_name"));
        firstName.clear();
        firstName.sendKeys("Robyn");
        go(By.id("save"));
        assertThat(text(By.id("contact-version"))).isEqualTo("1");
        go(By.id("deactivate"));
        assertThat(text(By.id("contact-active"))).isEqualTo("inactive");
        go(By.id("reactivate"));
        assertThat(text(By.id("contact-active"))).isEqualTo("active");
        assertThat(jdbc.sql("select first_name || ' ' || postal_code || ' ' || version || ' ' || consent_by"
                + " from contact where id = :id").param("id", robin).query(String.class).single())
                .isEqualTo("Robyn 02134 3 " + WebConsoleTest.ADMIN);

        // a reviewer reads both pages, is offered no change, and is refused one asked for anyway
        go(By.id("logout"));
        logIn(WebConsoleTest.REVIEWER, WebConsoleTest.REVIEWER_PASSWORD);
        browser.get(url("/contacts"));
        assertThat(browser.findElements(By.id("selection-form"))).isEmpty();
        assertThat(browser.findElements(By.className("tick"))).isEmpty();
        assertThat(browser.findElements(By.id("add-contact"))).isEmpty();
        browser.get(url("/contacts/" + robin));
        assertThat(browser.findElements(By.id("save"))).isEmpty();
        assertThat(browser.findElements(By.id("deactivate"))).isEmpty();
        assertThat(browser.findElements(By.tagName("button"))).extracting(WebElement::getText).containsOnly("Log out");
        String token = browser.findElement(By.cssSelector("input[name=_csrf]")).getAttribute("value");
        Object answer = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/contacts/' + arguments[0] + '/deactivate', {method: 'POST', redirect: 'manual',
                    headers: {'Content-Type': 'application/x-www-form-urlencoded'},
                    body: '_csrf=' + encodeURIComponent(arguments[1])})
                  .then(r => done(r.status), e => done('error ' + e));""", robin, token);
        assertThat(answer).isEqualTo(403L);
        assertThat(jdbc.sql("select active from contact where id = :id").param("id", robin).query(Boolean.class)
                .single()).isTrue();
    }

    private static WebDriver chromium(Path profile, Path downloads) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1440,900");
        Map<String, Object> prefs = new LinkedHashMap<>();
        prefs.put("download.default_directory", downloads.toString());
        prefs.put("download.prompt_for_download", false);
        options.setExperimentalOption("prefs", prefs);
        // the driver named here, so Selenium Manager never looks for one (there is no network)
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        // no implicit wait: the test waits explicitly for what it expects, and an absent element is absent at once
        return new ChromeDriver(service, options);
    }

    private void logIn(String name, String password) {
        browser.get(url("/login"));
        browser.findElement(By.id("username")).sendKeys(name);
        browser.findElement(By.id("password")).sendKeys(password);
        go(By.id("login"));
    }

    /**
     * Waits until the condition holds (returns true, or a value other than null) and returns what it
     * returned. An element that is not there yet or has gone stale, as while a page loads or reloads
     * itself, only means "not yet"; anything else it throws fails the test at once.
     */
    private <T> T await(String what, Function<? super WebDriver, T> condition) {
        return new WebDriverWait(browser, WAIT, Duration.ofMillis(250)).withMessage(what)
                .ignoring(StaleElementReferenceException.class).until(condition);
    }

    /**
     * Clicks what leads to another page and waits until that page has replaced this one (whose
     * elements then go stale) and has loaded; after a redirect, the browser is at its end.
     */
    private void go(By target) {
        WebElement page = browser.findElement(By.tagName("html"));
        String from = browser.getCurrentUrl();
        browser.findElement(target).click();
        await("a new page after clicking " + target + " on " + from, driver -> replaced(page)
                && "complete".equals(((JavascriptExecutor) driver).executeScript("return document.readyState")));
    }

    /**
     * Whether the page this element belongs to has been replaced. Chromium says so in one of two ways, depending
     * on how far the new page has come: the element is stale, or its node "does not belong to the document".
     */
    private static boolean replaced(WebElement page) {
        try {
            page.isEnabled();
            return false;
        }
        catch (StaleElementReferenceException gone) {
            return true;
        }
        catch (WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    /**
     * Reloads the execution page until its job has ended (the page also refreshes itself while the
     * job runs), then checks it ended as expected.
     */
    private void awaitStatus(String expected) {
        String ended = await("the job on " + browser.getCurrentUrl() + " to end", driver -> {
            String shown = driver.findElement(By.id("status")).getText();
            if (shown.isEmpty() || BatchStatus.valueOf(shown).isRunning()) {
                driver.navigate().refresh();
                return null;
            }
            return shown;
        });
        assertThat(ended).as("how the job on " + browser.getCurrentUrl() + " ended").isEqualTo(expected);
    }

    private long countShown(String name) {
        for (WebElement row : browser.findElements(By.cssSelector("#counts tr"))) {
            if (row.findElement(By.tagName("th")).getText().equals(name)) {
                return Long.parseLong(row.findElement(By.tagName("td")).getText().replace(",", ""));
            }
        }
        throw new AssertionError("no count " + name + " on " + browser.getCurrentUrl());
    }

    /**
     * The downloaded file once Chrome has finished it: Chrome writes a download to a hidden temporary
     * file, then to NAME.crdownload, and renames that to NAME when the last byte is in.
     */
    private Path awaitDownload(String name) {
        Path file = downloads.resolve(name);
        return await("the download of " + file + " to complete", driver -> {
            try (Stream<Path> files = Files.list(downloads)) {
                boolean partial = files.map(f -> f.getFileName().toString())
                        .anyMatch(f -> f.endsWith(".crdownload") || f.startsWith("."));
                return !partial && Files.isRegularFile(file) ? file : null;
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** An edited export made from the database, prepared from the command line. */
    private long prepare(String tag, String firstName) throws IOException {
        Path file = sheet(tag, firstName);
        Cli.Result prepared = cli.run("reimport", "prepare", file.toString(), "--tag", tag, "--json", "--by", "ann.admin");
        assertThat(prepared.exitCode()).as(prepared.err()).isZero();
        return JsonMapper.shared().readTree(prepared.out()).get("importId").asLong();
    }

    /** An edited export made from the database: three contacts get a new first name. */
    private Path sheet(String tag, String firstName) throws IOException {
        StringBuilder sheet = new StringBuilder("id,version,email,first_name\r\n");
        jdbc.sql("select id, version, email, first_name from contact where first_name <> :name order by id limit 3")
                .param("name", firstName)
                .query(rs -> {
                    sheet.append(rs.getLong(1)).append(',').append(rs.getInt(2)).append(',').append(rs.getString(3))
                            .append(',').append(firstName).append("\r\n");
                });
        return Files.writeString(temp.resolve(tag + ".csv"), sheet, StandardCharsets.UTF_8);
    }

    private String status(long importId) {
        return jdbc.sql("select status from import_batch where id = :id").param("id", importId).query(String.class).single();
    }

    /** The text of an element, once the page shows it (a page that refreshes itself may be reloading). */
    private String text(By by) {
        return await(by + " on " + browser.getCurrentUrl(), driver -> driver.findElement(by).getText());
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    /**
     * A screenshot of the page, kept with the build output ({@code screenshots/NAME.png} beside the
     * test reports); the executions page also where {@code -Dcontact-batch.screenshot=FILE} says, for
     * the README ({@code docs/executions-page.png}).
     */
    private void keep(String name) throws IOException {
        byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        String reports = System.getProperty("contact-batch.reports-dir", "target/test-reports");
        Path kept = Path.of(reports).resolveSibling("screenshots").resolve(name + ".png");
        Files.createDirectories(kept.getParent());
        Files.write(kept, png);
        // -Dcontact-batch.screenshots=docs: the README's pictures of the console, refreshed
        String docs = System.getProperty("contact-batch.screenshots");
        if (docs != null && !docs.isBlank()) {
            Files.createDirectories(Path.of(docs));
            Files.write(Path.of(docs).resolve(name + ".png"), png);
        }
    }

    private static List<CSVRecord> records(Path csv) throws IOException {
        String text = Files.readString(csv, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<CSVRecord> records = new ArrayList<>(CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
                .get().parse(new StringReader(text)).getRecords());
        records.removeIf(r -> r.isMapped("line") && r.get("line").isEmpty());
        return records;
    }

}
