package org.contactbatch.constantcontact.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.contactbatch.files.CsvTableWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * The debug log of a run: one CSV line per HTTP request sent to Constant Contact (the API and the authorization
 * server alike, every attempt of a retried request too) while a {@link Recording} is open on the run's thread,
 * with when it was sent, its method, path and query, the status that came back (or the kind of error when none
 * did) and the milliseconds until the answer's status and headers arrived.
 *
 * <p>A filter of the one {@code WebClient} every Constant Contact call goes through, so no job step has to do
 * anything. Never a header or a body (tokens, contact data); in a query only the values of the parameters that
 * page and filter (limits, cursors, dates, statuses, list ids) are kept, any other value, such as an email, is
 * written as {@code ***}, and so is a path segment that holds an address.
 */
@Component
public class RequestLog implements ExchangeFilterFunction {

    private static final Logger log = LoggerFactory.getLogger(RequestLog.class);

    public static final List<String> HEADER = List.of("timestamp", "method", "path", "status", "ms", "error");

    /** Query parameters whose values carry no token and no contact data. */
    private static final Set<String> SAFE_PARAMETERS = Set.of("limit", "cursor", "status", "include", "include_count",
            "updated_after", "optout_after", "created_after", "lists", "list_ids", "segment_id", "sort", "type",
            "activity_id", "state");

    private static final String HIDDEN = "***";

    /** The recording of the run on this thread; a job's steps run on the thread its listeners run on. */
    private final ThreadLocal<Recording> current = new ThreadLocal<>();

    /** Starts writing the requests this thread sends to {@code file} (its header written at once). */
    public Recording start(Path file) {
        Recording recording = new Recording(file);
        current.set(recording);
        return recording;
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        // read on the thread that sends: the answer comes on an I/O thread
        Recording recording = current.get();
        if (recording == null) {
            return next.exchange(request);
        }
        String method = request.method().name();
        String path = redacted(request.url());
        return Mono.defer(() -> {
            Instant at = Instant.now();
            long started = System.nanoTime();
            return next.exchange(request)
                    .doOnNext(response -> recording.write(at, method, path,
                            Integer.toString(response.statusCode().value()), started, ""))
                    .doOnError(e -> recording.write(at, method, path, "", started, e.getClass().getSimpleName()))
                    .doOnCancel(() -> recording.write(at, method, path, "", started, "cancelled"));
        });
    }

    /** The path and query as the log shows them: without any value that could be a token or contact data. */
    static String redacted(URI url) {
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        StringBuilder text = new StringBuilder(String.join("/", java.util.Arrays.stream(path.split("/", -1))
                .map(segment -> URLDecoder.decode(segment, StandardCharsets.UTF_8).contains("@") ? HIDDEN : segment)
                .toList()));
        String query = url.getRawQuery();
        if (query != null && !query.isEmpty()) {
            char separator = '?';
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String name = URLDecoder.decode(key, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
                text.append(separator).append(key);
                if (eq >= 0) {
                    String value = pair.substring(eq + 1);
                    text.append('=').append(SAFE_PARAMETERS.contains(name) && !holdsAddress(value) ? value : HIDDEN);
                }
                separator = '&';
            }
        }
        return text.toString();
    }

    /**
     * A value that holds an address, as it is or base64-encoded: Constant Contact's cursor is opaque, its examples
     * decode to {@code limit=…&next=<uuid>}, but whether it carries the first page's filters (an {@code email=})
     * is not documented, and the fake's does.
     */
    private static boolean holdsAddress(String rawValue) {
        String value = URLDecoder.decode(rawValue.replace("+", "%2B"), StandardCharsets.UTF_8); // base64's + stays
        if (value.contains("@")) {
            return true;
        }
        for (Base64.Decoder decoder : List.of(Base64.getUrlDecoder(), Base64.getDecoder())) {
            try {
                String decoded = new String(decoder.decode(value), StandardCharsets.UTF_8);
                return decoded.contains("@") || decoded.toUpperCase(Locale.ROOT).contains("%40");
            }
            catch (IllegalArgumentException notBase64) {
                // not this alphabet (or not base64 at all): as it is, it holds none
            }
        }
        return false;
    }

    /** One run's debug log file, written line by line as the answers come (a killed run keeps what it sent). */
    public final class Recording implements AutoCloseable {

        private final Path file;
        private final CsvTableWriter writer;
        private long rows;
        private boolean failed;

        private Recording(Path file) {
            this.file = file;
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                writer = new CsvTableWriter(file, ',', true);
                writer.writeRow(HEADER);
                writer.flush();
            }
            catch (IOException e) {
                throw new UncheckedIOException("can't write the debug log " + file + ": " + e.getMessage(), e);
            }
        }

        public Path file() {
            return file;
        }

        /** Requests written so far. */
        public synchronized long rows() {
            return rows;
        }

        private synchronized void write(Instant at, String method, String path, String status, long startedNanos,
                String error) {
            long ms = (System.nanoTime() - startedNanos) / 1_000_000;
            try {
                writer.writeRow(List.of(at.truncatedTo(ChronoUnit.MILLIS).toString(), method, path, status,
                        Long.toString(ms), error));
                writer.flush();
                rows++;
            }
            catch (IOException e) {
                // the debug log is for diagnosis: a full disk must not fail the run, but say so once
                if (!failed) {
                    failed = true;
                    log.warn("The debug log {} could not be written: {}", file, e.getMessage());
                }
            }
        }

        /** Stops recording on this thread and closes the file. */
        @Override
        public synchronized void close() {
            if (current.get() == this) {
                current.remove();
            }
            try {
                writer.close();
            }
            catch (IOException e) {
                log.warn("The debug log {} could not be closed: {}", file, e.getMessage());
            }
        }
    }
}
