package org.contactbatch.constantcontact.client;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.contactbatch.constantcontact.ConstantContactProperties;
import org.contactbatch.constantcontact.auth.TokenService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Constant Contact's v3 API as this application uses it. Every request, and every attempt of it,
 * waits for the one {@link ApiRateLimiter}; 429 {@code throttled}, 5xx, timeouts and dropped
 * connections are tried again with a growing pause; a 401 refreshes the token once and tries again;
 * 429 {@code quota_exceeded} stops at once with a {@link QuotaExceededException}; any other error
 * comes as an {@link ApiException} carrying Constant Contact's messages, whether its body was an
 * object or an array.
 */
@Component
public class ConstantContactClient {

    private static final Logger log = LoggerFactory.getLogger(ConstantContactClient.class);
    private static final JsonMapper JSON = JsonMapper.shared();

    private final WebClient web;
    private final TokenService tokens;
    private final ApiRateLimiter limiter;
    private final ConstantContactProperties properties;
    private final RetryTemplate retry;
    private final RetryTemplate retryOnlyRefusals;
    private final AtomicLong requests = new AtomicLong();

    public ConstantContactClient(WebClient constantContactWebClient, TokenService tokens, ApiRateLimiter limiter,
            ConstantContactProperties properties) {
        this.web = constantContactWebClient;
        this.tokens = tokens;
        this.limiter = limiter;
        this.properties = properties;
        ConstantContactProperties.Retry settings = properties.retry();
        this.retry = new RetryTemplate(RetryPolicy.builder()
                .maxRetries(settings.maxRetries())
                .delay(settings.initialDelay())
                .multiplier(settings.multiplier())
                .maxDelay(settings.maxDelay())
                .predicate(ConstantContactClient::isTransient)
                .build());
        this.retryOnlyRefusals = new RetryTemplate(RetryPolicy.builder()
                .maxRetries(settings.maxRetries())
                .delay(settings.initialDelay())
                .multiplier(settings.multiplier())
                .maxDelay(settings.maxDelay())
                .predicate(ConstantContactClient::refused)
                .build());
        this.retry.setRetryListener(new RetryListener() {
            @Override
            public void onRetryFailure(RetryPolicy policy, Retryable<?> retryable, Throwable failure) {
                log.warn("{} failed, trying again after a pause: {}", retryable.getName(), failure.getMessage());
            }
        });
    }

    // ---- lists

    /** Every contact list of the account. */
    /** {@code GET /account/summary}: which account the token is for ({@code encoded_account_id}); needs account_read. */
    public JsonNode accountSummary() {
        return get("/account/summary");
    }

    public List<JsonNode> lists() {
        List<JsonNode> lists = new ArrayList<>();
        String next = "/contact_lists?limit=500"; // the documented most a page holds
        while (next != null) {
            JsonNode page = get(next);
            page.path("lists").forEach(lists::add);
            next = nextLink(page);
        }
        return lists;
    }

    public JsonNode createList(String name) {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", name);
        body.put("favorite", false);
        body.put("description", "Kept by contact-batch");
        return send(HttpMethod.POST, "/contact_lists", body);
    }

    // ---- custom fields

    public List<JsonNode> customFields() {
        List<JsonNode> fields = new ArrayList<>();
        String next = "/contact_custom_fields?limit=100";
        while (next != null) {
            JsonNode page = get(next);
            page.path("custom_fields").forEach(fields::add);
            next = nextLink(page);
        }
        return fields;
    }

    public JsonNode createCustomField(String label) {
        ObjectNode body = JSON.createObjectNode();
        body.put("label", label);
        body.put("type", "string");
        return send(HttpMethod.POST, "/contact_custom_fields", body);
    }

    // ---- bulk activities

    /**
     * Starts a {@code contacts_json_import}; the body is already serialized, so its size is known and kept under
     * the limit. Tried again only when the account clearly did not carry it out (429, 503); any other trouble
     * (a timeout, a dropped connection, another 5xx) may have started the import, and comes as an
     * {@link UncertainOutcomeException}: the caller looks for the activity ({@link #activities()}) before sending
     * 40,000 contacts again.
     */
    public JsonNode importContacts(byte[] body) {
        String name = "POST /activities/contacts_json_import";
        try {
            return retryOnlyRefusals.execute(new Retryable<JsonNode>() {
                @Override
                public JsonNode execute() {
                    return attemptWithRefresh(HttpMethod.POST, resolve("/activities/contacts_json_import"), body, name);
                }

                @Override
                public String getName() {
                    return name;
                }
            });
        }
        catch (RetryException e) {
            Throwable last = e.getCause();
            if (isTransient(last) && !refused(last)) {
                throw new UncertainOutcomeException(name, last);
            }
            if (last instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(name + " failed: " + last, last);
        }
    }

    /** An answer that says the request was not carried out: 429 (throttled, too many activities), 503 (unavailable). */
    private static boolean refused(Throwable t) {
        return t instanceof TransientApiException e && (e.status() == 429 || e.status() == 503);
    }

    /** The account's recent bulk activities (the last 10 days), newest first as the account lists them. */
    public List<JsonNode> activities() {
        List<JsonNode> activities = new ArrayList<>();
        String next = "/activities?limit=500";
        while (next != null) {
            JsonNode page = get(next);
            page.path("activities").forEach(activities::add);
            next = nextLink(page);
        }
        return activities;
    }

    public JsonNode removeFromList(String listId, List<String> contactIds) {
        return removeFromLists(List.of(listId), contactIds);
    }

    /** Takes at most 500 contacts off at most 50 lists (a list a contact is not on is left as it is). */
    public JsonNode removeFromLists(List<String> listIds, List<String> contactIds) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode ids = body.putObject("source").putArray("contact_ids");
        contactIds.forEach(ids::add);
        ArrayNode lists = body.putArray("list_ids");
        listIds.forEach(lists::add);
        return send(HttpMethod.POST, "/activities/remove_list_memberships", body);
    }

    public JsonNode activity(String activityId) {
        return get("/activities/" + activityId);
    }

    // ---- contacts

    /** One contact, with its top-level fields (what a PUT replaces). */
    public JsonNode contact(String contactId) {
        return get("/contacts/" + contactId);
    }

    /** {@code PUT /contacts/{id}}: every top-level field not in the body becomes empty; sub-resources not in it stay. */
    public JsonNode updateContact(String contactId, JsonNode body) {
        return send(HttpMethod.PUT, "/contacts/" + contactId, body);
    }

    /** A page of contacts: a path with its query, or the {@code _links.next.href} of the page before. */
    public JsonNode contacts(String pathOrHref) {
        return get(pathOrHref);
    }

    /**
     * {@code /contacts} with this query, each value percent-encoded whole: a {@code +} in an address is sent
     * as {@code %2B}, since a server reads a bare {@code +} in a query as a space.
     */
    public static String contactsQuery(Map<String, String> query) {
        StringBuilder path = new StringBuilder("/contacts");
        char separator = '?';
        for (Map.Entry<String, String> parameter : query.entrySet()) {
            path.append(separator).append(encode(parameter.getKey())).append('=').append(encode(parameter.getValue()));
            separator = '&';
        }
        return path.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("%2C", ",");
    }

    /** The href of the next page, or null on the last one. */
    public static String nextLink(JsonNode page) {
        JsonNode href = page.path("_links").path("next").path("href");
        return href.isString() && !href.asString().isBlank() ? href.asString() : null;
    }

    /** Requests sent by this process (every attempt counts): for logs and benchmarks. */
    public long requestCount() {
        return requests.get();
    }

    // ---- the machinery

    public JsonNode get(String pathOrHref) {
        return exchange(HttpMethod.GET, pathOrHref, null);
    }

    private JsonNode send(HttpMethod method, String path, JsonNode body) {
        return exchange(method, path, JSON.writeValueAsBytes(body));
    }

    private JsonNode exchange(HttpMethod method, String pathOrHref, byte[] body) {
        URI uri = resolve(pathOrHref);
        String name = method.name() + " " + uri.getRawPath();
        try {
            return retry.execute(new Retryable<JsonNode>() {
                @Override
                public JsonNode execute() {
                    return attemptWithRefresh(method, uri, body, name);
                }

                @Override
                public String getName() {
                    return name;
                }
            });
        }
        catch (RetryException e) {
            Throwable last = e.getCause();
            if (last instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(name + " failed: " + last, last);
        }
    }

    /** One attempt; a 401 refreshes the token once and sends again, outside the retry count. */
    private JsonNode attemptWithRefresh(HttpMethod method, URI uri, byte[] body, String name) {
        String token = tokens.accessToken();
        Answer answer = attempt(method, uri, body, token);
        if (answer.status() == 401) {
            log.info("{} → 401; refreshing the access token once", name);
            token = tokens.afterUnauthorized(token);
            answer = attempt(method, uri, body, token);
            if (answer.status() == 401) {
                throw new UnauthorizedException(name, ApiError.parse(answer.body()));
            }
        }
        return interpret(name, answer);
    }

    private record Answer(int status, String body) {
    }

    private Answer attempt(HttpMethod method, URI uri, byte[] body, String token) {
        limiter.acquire();
        requests.incrementAndGet();
        WebClient.RequestBodySpec request = web.method(method).uri(uri)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .accept(MediaType.APPLICATION_JSON);
        WebClient.RequestHeadersSpec<?> ready = body == null ? request
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
        return ready.exchangeToMono(response -> response.bodyToMono(byte[].class).defaultIfEmpty(new byte[0])
                        .map(bytes -> new Answer(response.statusCode().value(), new String(bytes, StandardCharsets.UTF_8))))
                .switchIfEmpty(Mono.error(new IllegalStateException("no answer")))
                .block(properties.responseTimeout().plus(properties.connectTimeout()).plusSeconds(1));
    }

    private static JsonNode interpret(String name, Answer answer) {
        int status = answer.status();
        if (status >= 200 && status < 300) {
            if (answer.body().isBlank()) {
                return JSON.createObjectNode();
            }
            return JSON.readTree(answer.body());
        }
        List<ApiError> errors = ApiError.parse(answer.body());
        if (status == 429) {
            if (errors.stream().anyMatch(e -> "quota_exceeded".equals(e.key()))) {
                throw new QuotaExceededException("Constant Contact's daily request quota is used up (429 quota_exceeded on "
                        + name + "); it resets at 00:00 UTC, and the next run continues where this one stopped");
            }
            throw new TransientApiException(name, status, errors); // throttled, or too many queued activities
        }
        if (status >= 500) {
            throw new TransientApiException(name, status, errors);
        }
        throw new ApiException(name, status, errors);
    }

    private URI resolve(String pathOrHref) {
        URI base = properties.apiBaseUrl();
        String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        String origin = base.getScheme() + "://" + base.getRawAuthority();
        if (pathOrHref.startsWith("http://") || pathOrHref.startsWith("https://")) {
            return URI.create(pathOrHref);
        }
        // Constant Contact's next links are host-relative and already start with /v3
        if (!basePath.isEmpty() && (pathOrHref.startsWith(basePath + "/") || pathOrHref.startsWith(basePath + "?"))) {
            return URI.create(origin + pathOrHref);
        }
        return URI.create(origin + basePath + pathOrHref);
    }

    static boolean isTransient(Throwable t) {
        if (t instanceof TransientApiException || t instanceof WebClientRequestException
                || t instanceof TimeoutException) {
            return true;
        }
        // block(timeout) and reactor's own timeouts wrap a TimeoutException in an IllegalStateException
        for (Throwable cause = t.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof TimeoutException || cause instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }
}
