package org.contactbatch.constantcontact.fake;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.regex.Matcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.contactbatch.constantcontact.fake.FakeAccount.JSON;

/**
 * A fake Constant Contact for tests: a real HTTP server on 127.0.0.1, stateful, with the behaviours of
 * the real service that a client must cope with: an authorization server (authorize with PKCE, token endpoint with
 * rotating or long-lived refresh tokens and its own 1 call/s limit, device flow), an API whose tokens
 * expire (401), that counts 4 requests a second (429 {@code throttled}) and a daily quota (429
 * {@code quota_exceeded}), and faults a test can switch on: error answers, slow answers, dropped
 * connections. Every request is recorded, so tests can count them, read their bodies and measure their rate.
 *
 * <p>Addresses: authorization server under {@code /oauth2/default/v1/}, API under {@code /v3/}.
 */
public final class FakeConstantContact implements AutoCloseable {

    public static final String CLIENT_ID = "fake-client-id";
    public static final String CLIENT_SECRET = "fake-client-secret";
    public static final String ACCOUNT = "owner@fake-org.example";

    /** What {@code cc connect} asks for by default, and so what the fake grants unless told otherwise. */
    public static final String DEFAULT_SCOPES = "contact_data offline_access account_read";

    /** One request as the fake received it, and what it answered (status, JSON body; null when it sent none). */
    public record Recorded(String method, String path, String query, Map<String, String> headers, byte[] body,
            long receivedNanos, Instant receivedAt, int status, boolean api, String response) {

        public String bodyText() {
            return body == null ? "" : new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            return JSON.readTree(bodyText());
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private enum FaultKind { STATUS, SLOW, DROP }

    private static final class Fault {
        final FaultKind kind;
        final Predicate<String> appliesTo;
        final int status;
        final String body;
        final Duration delay;
        /** Matching requests to let through before this fault strikes. */
        int skip;

        Fault(FaultKind kind, Predicate<String> appliesTo, int status, String body, Duration delay) {
            this.kind = kind;
            this.appliesTo = appliesTo;
            this.status = status;
            this.body = body;
            this.delay = delay;
        }

        FaultKind kind() {
            return kind;
        }

        Predicate<String> appliesTo() {
            return appliesTo;
        }

        int status() {
            return status;
        }

        String body() {
            return body;
        }

        Duration delay() {
            return delay;
        }
    }

    private record AuthorizationCode(String clientId, String redirectUri, String scope, String challenge, Instant expires) {
    }

    private static final class DeviceGrant {
        final String deviceCode = UUID.randomUUID().toString();
        final String userCode;
        final String scope;
        final Instant expires;
        Boolean approved;
        long interval;
        Instant lastPoll;

        DeviceGrant(String userCode, String scope, Instant expires, long interval) {
            this.userCode = userCode;
            this.scope = scope;
            this.expires = expires;
            this.interval = interval;
        }
    }

    private final Object lock = new Object();
    private final HttpServer server;
    private final ExecutorService executor;

    // settings, reset by reset()
    private int requestsPerSecond;
    private long dailyQuota;
    private int tokenCallsPerSecond;
    private boolean rotatingRefreshTokens;
    private Duration accessTokenTtl;
    private int deviceInterval;
    private boolean slowDownNext;
    private int slowDowns;
    private final List<Instant> devicePolls = new ArrayList<>();
    private boolean recordBodies;
    private boolean denyAuthorization;
    private String grantedScopes;

    // state
    private FakeAccount account;
    private final List<Recorded> recorded = new ArrayList<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final Deque<Long> acceptedApi = new ArrayDeque<>();
    private final Deque<Long> tokenCalls = new ArrayDeque<>();
    private long requestsToday;
    private LocalDate today;
    /** What a token was issued for: the account that approved it, with the scopes granted. */
    private record Grant(Instant expires, FakeAccount account, String scope) {
        boolean allows(String wanted) {
            return List.of(scope.split(" ")).contains(wanted);
        }
    }

    private final Map<String, Grant> accessTokens = new HashMap<>();
    private final Map<String, Grant> refreshTokens = new LinkedHashMap<>();
    private final Map<String, AuthorizationCode> codes = new HashMap<>();
    private final Map<String, DeviceGrant> devices = new LinkedHashMap<>();
    private int refreshes;
    private int tokensIssued;

    public FakeConstantContact() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor = Executors.newFixedThreadPool(8, r -> {
            Thread thread = new Thread(r, "fake-constant-contact");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        reset();
        server.start();
    }

    /** Back to an empty account, default settings, no faults, nothing recorded, no tokens. */
    public void reset() {
        synchronized (lock) {
            account = new FakeAccount();
            requestsPerSecond = 4;
            dailyQuota = 10_000;
            tokenCallsPerSecond = 1;
            rotatingRefreshTokens = true;
            accessTokenTtl = Duration.ofHours(24);
            deviceInterval = 1;
            slowDownNext = false;
            slowDowns = 0;
            devicePolls.clear();
            recordBodies = true;
            denyAuthorization = false;
            grantedScopes = null;
            recorded.clear();
            faults.clear();
            acceptedApi.clear();
            tokenCalls.clear();
            requestsToday = 0;
            today = LocalDate.now(ZoneOffset.UTC);
            accessTokens.clear();
            refreshTokens.clear();
            codes.clear();
            devices.clear();
            refreshes = 0;
            tokensIssued = 0;
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The settings that point the application at this fake. */
    public Map<String, String> springProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("contact-batch.constant-contact.client-id", CLIENT_ID);
        p.put("contact-batch.constant-contact.client-secret", CLIENT_SECRET);
        p.put("contact-batch.constant-contact.authorization-uri", baseUrl() + "/oauth2/default/v1/authorize");
        p.put("contact-batch.constant-contact.token-uri", baseUrl() + "/oauth2/default/v1/token");
        p.put("contact-batch.constant-contact.device-authorization-uri", baseUrl() + "/oauth2/default/v1/device/authorize");
        p.put("contact-batch.constant-contact.api-base-url", baseUrl() + "/v3");
        return p;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- settings

    public FakeConstantContact requestsPerSecond(int limit) {
        synchronized (lock) {
            requestsPerSecond = limit;
        }
        return this;
    }

    public FakeConstantContact dailyQuota(long quota) {
        synchronized (lock) {
            dailyQuota = quota;
        }
        return this;
    }

    public FakeConstantContact tokenCallsPerSecond(int limit) {
        synchronized (lock) {
            tokenCallsPerSecond = limit;
        }
        return this;
    }

    public FakeConstantContact rotatingRefreshTokens(boolean rotating) {
        synchronized (lock) {
            rotatingRefreshTokens = rotating;
        }
        return this;
    }

    public FakeConstantContact accessTokenTtl(Duration ttl) {
        synchronized (lock) {
            accessTokenTtl = ttl;
        }
        return this;
    }

    public FakeConstantContact deviceInterval(int seconds) {
        synchronized (lock) {
            deviceInterval = seconds;
        }
        return this;
    }

    public FakeConstantContact pollsToComplete(int polls) {
        synchronized (lock) {
            account.pollsToComplete = polls;
        }
        return this;
    }

    public FakeConstantContact truncateOversize(boolean truncate) {
        synchronized (lock) {
            account.truncateOversize = truncate;
        }
        return this;
    }

    public FakeConstantContact activityErrorsAsObjects(boolean objects) {
        synchronized (lock) {
            account.activityErrorsAsObjects = objects;
        }
        return this;
    }

    /** Imports refuse these emails (an error in the activity) until this is called again without them. */
    public FakeConstantContact refuseEmails(String... emails) {
        synchronized (lock) {
            account.refused.clear();
            for (String email : emails) {
                account.refused.add(email.toLowerCase(Locale.ROOT));
            }
        }
        return this;
    }

    public FakeConstantContact recordBodies(boolean record) {
        synchronized (lock) {
            recordBodies = record;
        }
        return this;
    }

    public FakeConstantContact denyAuthorization(boolean deny) {
        synchronized (lock) {
            denyAuthorization = deny;
        }
        return this;
    }

    // ---- faults

    /** The next {@code count} API requests whose path starts with {@code pathPrefix} (null: any) get this answer. */
    public FakeConstantContact failNext(int count, String pathPrefix, int status, String body) {
        synchronized (lock) {
            for (int i = 0; i < count; i++) {
                faults.add(new Fault(FaultKind.STATUS, matcher(pathPrefix), status, body, null));
            }
        }
        return this;
    }

    public FakeConstantContact throttleNext(int count) {
        return failNext(count, null, 429, "{\"error_key\":\"throttled\",\"error_message\":\"Too Many Requests\"}");
    }

    public FakeConstantContact serverErrorNext(int count, String pathPrefix) {
        return failNext(count, pathPrefix, 503, "[{\"error_key\":\"server.unavailable\",\"error_message\":\"Service Unavailable\"}]");
    }

    /** The next {@code count} matching API requests are answered only after {@code delay} (and are then carried out). */
    public FakeConstantContact slowNext(int count, String pathPrefix, Duration delay) {
        synchronized (lock) {
            for (int i = 0; i < count; i++) {
                faults.add(new Fault(FaultKind.SLOW, matcher(pathPrefix), 0, null, delay));
            }
        }
        return this;
    }

    /** The next {@code count} matching API requests get their connection closed without an answer (and are not carried out). */
    public FakeConstantContact dropNext(int count, String pathPrefix) {
        synchronized (lock) {
            for (int i = 0; i < count; i++) {
                faults.add(new Fault(FaultKind.DROP, matcher(pathPrefix), 0, null, null));
            }
        }
        return this;
    }

    /**
     * Faults that strike later: {@code fault} is one of {@link #failNext}, {@link #slowNext}, {@link #dropNext} for one
     * request, and it lets {@code skip} matching requests through first.
     */
    public FakeConstantContact after(int skip, java.util.function.Consumer<FakeConstantContact> fault) {
        synchronized (lock) {
            int before = faults.size();
            fault.accept(this);
            int index = 0;
            for (Fault f : faults) {
                if (index++ >= before) {
                    f.skip = skip;
                }
            }
        }
        return this;
    }

    /** Every access token issued so far stops working (401), as when it expires. */
    public FakeConstantContact expireAccessTokens() {
        synchronized (lock) {
            accessTokens.replaceAll((token, grant) -> new Grant(Instant.EPOCH, grant.account(), grant.scope()));
        }
        return this;
    }

    /** Every refresh token issued so far stops working, as when someone connects the account again elsewhere. */
    public FakeConstantContact revokeRefreshTokens() {
        synchronized (lock) {
            refreshTokens.clear();
        }
        return this;
    }

    /** A path prefix ("/activities"), optionally after a method ("GET /activities"); null for any request. */
    private static Predicate<String> matcher(String pathPrefix) {
        return request -> {
            if (pathPrefix == null) {
                return true;
            }
            String method = request.substring(0, request.indexOf(' '));
            String path = request.substring(request.indexOf(' ') + 1);
            String prefix = pathPrefix;
            if (prefix.contains(" ")) {
                if (!prefix.startsWith(method + " ")) {
                    return false;
                }
                prefix = prefix.substring(prefix.indexOf(' ') + 1);
            }
            return path.startsWith(prefix) || path.startsWith("/v3" + prefix);
        };
    }

    // ---- what tests look at

    public List<Recorded> requests() {
        synchronized (lock) {
            return List.copyOf(recorded);
        }
    }

    public List<Recorded> apiRequests() {
        return requests().stream().filter(Recorded::api).toList();
    }

    public List<Recorded> apiRequests(String method, String pathPrefix) {
        return apiRequests().stream().filter(r -> r.method().equals(method) && r.path().startsWith("/v3" + pathPrefix)).toList();
    }

    public void clearRecorded() {
        synchronized (lock) {
            recorded.clear();
        }
    }

    /** The most API requests that arrived within any window of this length. */
    public int maxApiRequestsWithin(Duration window) {
        List<Long> times = apiRequests().stream().map(Recorded::receivedNanos).sorted().toList();
        int max = 0;
        int start = 0;
        for (int end = 0; end < times.size(); end++) {
            while (times.get(end) - times.get(start) >= window.toNanos()) {
                start++;
            }
            max = Math.max(max, end - start + 1);
        }
        return max;
    }

    /** Emails sent in contacts_json_import bodies, in order, as often as they were sent. */
    public List<String> importedEmails() {
        List<String> emails = new ArrayList<>();
        for (Recorded request : apiRequests("POST", "/activities/contacts_json_import")) {
            if (request.status() == 201) {
                request.json().path("import_data").forEach(row -> emails.add(row.path("email").asString()));
            }
        }
        return emails;
    }

    public Optional<ObjectNode> contact(String email) {
        synchronized (lock) {
            FakeAccount.Contact contact = account.byEmail.get(email.toLowerCase(Locale.ROOT));
            return contact == null ? Optional.empty()
                    : Optional.of(account.contactJson(contact, Set.of("custom_fields", "list_memberships")));
        }
    }

    /** A contact's fields as sent by imports (first_name, company_name, phone, city, …) and custom fields by label. */
    public Map<String, String> contactFields(String email) {
        synchronized (lock) {
            FakeAccount.Contact contact = account.byEmail.get(email.toLowerCase(Locale.ROOT));
            if (contact == null) {
                return Map.of();
            }
            Map<String, String> fields = new LinkedHashMap<>(contact.fields);
            contact.customFields.forEach((id, value) -> fields.put("cf:" + account.customFields.get(id).label(), value));
            fields.put("permission_to_send", contact.permission);
            return fields;
        }
    }

    public int contactCount() {
        synchronized (lock) {
            return (int) account.contacts().stream().filter(c -> c.deletedAt == null).count();
        }
    }

    public Set<String> emails() {
        synchronized (lock) {
            Set<String> emails = new LinkedHashSet<>();
            account.contacts().forEach(c -> emails.add(c.email.toLowerCase(Locale.ROOT)));
            return emails;
        }
    }

    /** Emails of the members of a list, lowercased. */
    public Set<String> listMembers(String listName) {
        synchronized (lock) {
            return account.listNamed(listName).map(l -> {
                Set<String> emails = new LinkedHashSet<>();
                account.members(l.id()).forEach(e -> emails.add(e.toLowerCase(Locale.ROOT)));
                return emails;
            }).orElse(Set.of());
        }
    }

    public Set<String> listNames() {
        synchronized (lock) {
            Set<String> names = new LinkedHashSet<>();
            account.lists.values().forEach(l -> names.add(l.name()));
            return names;
        }
    }

    public Set<String> customFieldLabels() {
        synchronized (lock) {
            Set<String> labels = new LinkedHashSet<>();
            account.customFields.values().forEach(f -> labels.add(f.label()));
            return labels;
        }
    }

    /** Makes a list in the account, as someone using Constant Contact's site would. */
    public String createList(String name) {
        synchronized (lock) {
            return account.createList(JSON.createObjectNode().put("name", name)).body().path("list_id").asString();
        }
    }

    /** Makes a custom field (type string) in the account, as someone using the site would. */
    public String createCustomField(String label) {
        synchronized (lock) {
            return account.createCustomField(JSON.createObjectNode().put("label", label).put("type", "string")).body()
                    .path("custom_field_id").asString();
        }
    }

    /** Adds a contact to a list by hand (a list this application does not manage). */
    public void addToList(String email, String listName) {
        synchronized (lock) {
            String listId = account.listNamed(listName).orElseThrow().id();
            account.byEmail.get(email.toLowerCase(Locale.ROOT)).lists.add(listId);
        }
    }

    /** Imports count these emails but never apply them, and say nothing (as data past the limits is dropped). */
    public FakeConstantContact dropSilently(String... emails) {
        synchronized (lock) {
            account.droppedSilently.clear();
            for (String email : emails) {
                account.droppedSilently.add(email.toLowerCase(Locale.ROOT));
            }
        }
        return this;
    }

    /** Someone took the contact off a list in Constant Contact's website. */
    public void removeFromList(String email, String listName) {
        synchronized (lock) {
            FakeAccount.Contact contact = account.byEmail.get(email.toLowerCase(Locale.ROOT));
            contact.lists.remove(account.listNamed(listName).orElseThrow().id());
            account.touched(contact);
        }
    }

    /** Someone deleted the contact in the website: its lists go, its email stays reserved. */
    public void deleteContact(String email) {
        synchronized (lock) {
            account.deleteContact(account.byEmail.get(email.toLowerCase(Locale.ROOT)).id);
        }
    }

    /** Someone edited a field in the website (first_name, job_title, …; null clears it). */
    public void editField(String email, String field, String value) {
        synchronized (lock) {
            FakeAccount.Contact contact = account.byEmail.get(email.toLowerCase(Locale.ROOT));
            if (value == null) {
                contact.fields.remove(field);
            }
            else {
                contact.fields.put(field, value);
            }
            account.touched(contact);
        }
    }

    /** The person signed up again through a form: subscribed (explicit) and on the form's list. */
    public void signUpThroughForm(String email, String listName) {
        synchronized (lock) {
            var body = JSON.createObjectNode().put("email_address", email);
            body.putArray("list_memberships").add(account.listNamed(listName).orElseThrow().id());
            account.signUpForm(body);
        }
    }

    /**
     * Someone added a contact in the website: {@code fields} as an import names them (first_name, job_title, phone,
     * home_phone, street, city, state, zip, country, …) and custom fields as {@code cf:<label>}; created_at and
     * updated_at are now. A null email makes a contact without one (an SMS-only one). Returns its id.
     */
    public String createInWebsite(String email, String permission, Map<String, String> fields) {
        synchronized (lock) {
            FakeAccount.Contact contact = account.newContact(email);
            contact.permission = permission;
            contact.optInSource = "Account";
            contact.optInDate = FakeAccount.now();
            fields.forEach((key, value) -> account.setField(contact, key, value));
            return contact.id;
        }
    }

    /** Someone set a custom field (by its label) in the website; null clears it. */
    public void editCustomField(String email, String label, String value) {
        synchronized (lock) {
            FakeAccount.Contact contact = account.byEmail.get(email.toLowerCase(Locale.ROOT));
            account.setField(contact, "cf:" + label, value);
            account.touched(contact);
        }
    }

    /**
     * The person subscribed again (a sign-up form, or the confirmation a re-subscribe email asks for): permission
     * explicit, the opt-out gone, and, as for any change of the contact's email details, updated_at moves.
     */
    public void resubscribe(String email) {
        synchronized (lock) {
            FakeAccount.Contact contact = account.byEmail.get(email.toLowerCase(Locale.ROOT));
            contact.permission = "explicit";
            contact.optInSource = "Contact";
            contact.optInDate = FakeAccount.now();
            contact.optOutDate = null;
            contact.optOutSource = null;
            contact.optOutReason = null;
            account.touched(contact);
        }
    }

    /** The contact was last changed then (for contacts of a history older than a pull's start). */
    public void backdate(String email, Instant updatedAt) {
        synchronized (lock) {
            account.byEmail.get(email.toLowerCase(Locale.ROOT)).updatedAt = updatedAt;
        }
    }

    /** The contact's id in the account. */
    public String contactId(String email) {
        synchronized (lock) {
            return account.byEmail.get(email.toLowerCase(Locale.ROOT)).id;
        }
    }

    /** The contact's updated_at, as GET /contacts gives it. */
    public Instant updatedAt(String email) {
        synchronized (lock) {
            return account.byEmail.get(email.toLowerCase(Locale.ROOT)).updatedAt;
        }
    }

    /** The person clicked "unsubscribe" in an email. */
    public void unsubscribe(String email) {
        synchronized (lock) {
            FakeAccount.Contact contact = account.byEmail.get(email.toLowerCase(Locale.ROOT));
            account.unsubscribe(contact, "Contact", "clicked unsubscribe");
        }
    }

    public int refreshCount() {
        synchronized (lock) {
            return refreshes;
        }
    }

    public int tokensIssued() {
        synchronized (lock) {
            return tokensIssued;
        }
    }

    /** The refresh tokens that still work (one in rotating mode). */
    public Set<String> liveRefreshTokens() {
        synchronized (lock) {
            return Set.copyOf(refreshTokens.keySet());
        }
    }

    public Set<String> liveAccessTokens() {
        synchronized (lock) {
            Set<String> live = new LinkedHashSet<>();
            Instant now = Instant.now();
            accessTokens.forEach((token, grant) -> {
                if (grant.expires().isAfter(now)) {
                    live.add(token);
                }
            });
            return live;
        }
    }

    public int truncatedContacts() {
        synchronized (lock) {
            return account.truncatedContacts;
        }
    }

    /** The next device-flow poll is answered slow_down, as when the server finds the client too quick. */
    public FakeConstantContact slowDownNextDevicePoll() {
        synchronized (lock) {
            slowDownNext = true;
        }
        return this;
    }

    /** When the device flow's token requests came, and how many were answered slow_down. */
    public List<Instant> devicePolls() {
        synchronized (lock) {
            return List.copyOf(devicePolls);
        }
    }

    public int slowDowns() {
        synchronized (lock) {
            return slowDowns;
        }
    }

    /** The person approved (or refused) the device code on Constant Contact's page. */
    public void approveDevice(String userCode, boolean approve) {
        synchronized (lock) {
            devices.values().stream().filter(d -> d.userCode.equals(userCode)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no device code " + userCode)).approved = approve;
        }
    }

    /** The person (or the application's settings there) grants only these scopes, whatever is asked for. */
    public FakeConstantContact grantOnly(String scopes) {
        synchronized (lock) {
            grantedScopes = scopes;
        }
        return this;
    }

    /** Gives the account tokens without going through a browser, as cc connect would leave them. */
    public ObjectNode issueTokens() {
        synchronized (lock) {
            return issue(DEFAULT_SCOPES, true);
        }
    }

    /** The same, with only these scopes granted (e.g. without account_read, as an older connection has). */
    public ObjectNode issueTokens(String scopes) {
        synchronized (lock) {
            return issue(scopes, true);
        }
    }

    /**
     * The next approval (browser, device, or {@link #issueTokens()}) comes from another, empty Constant Contact
     * account, as when someone connects the organisation's second account. Tokens issued before keep working
     * on the first one. Returns the new account's {@code encoded_account_id}.
     */
    public String anotherAccount() {
        synchronized (lock) {
            account = new FakeAccount();
            return account.encodedId;
        }
    }

    /** The {@code encoded_account_id} of the account that approves connections now. */
    public String encodedAccountId() {
        synchronized (lock) {
            return account.encodedId;
        }
    }

    // ---- the server

    private void handle(HttpExchange exchange) {
        long receivedNanos = System.nanoTime();
        Instant receivedAt = Instant.now();
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        boolean api = path.startsWith("/v3/");
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        catch (IOException e) {
            exchange.close();
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
        Fault fault = null;
        int index;
        synchronized (lock) {
            if (api) {
                for (Fault candidate : faults) {
                    if (candidate.appliesTo().test(exchange.getRequestMethod() + " " + path)) {
                        if (candidate.skip > 0) {
                            candidate.skip--;
                            continue;
                        }
                        fault = candidate;
                        break;
                    }
                }
                if (fault != null) {
                    faults.remove(fault);
                }
            }
            recorded.add(new Recorded(exchange.getRequestMethod(), path, query, headers,
                    recordBodies ? body : null, receivedNanos, receivedAt, 0, api, null));
            index = recorded.size() - 1;
        }
        if (fault != null && fault.kind() == FaultKind.DROP) {
            setStatus(index, -1);
            exchange.close(); // no answer at all: the connection just ends
            return;
        }
        if (fault != null && fault.kind() == FaultKind.SLOW) {
            try {
                Thread.sleep(fault.delay().toMillis());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        FakeAccount.Reply reply;
        try {
            synchronized (lock) {
                if (fault != null && fault.kind() == FaultKind.STATUS) {
                    reply = FakeAccount.Reply.of(fault.status(), JSON.readTree(fault.body()));
                }
                else if (api) {
                    reply = api(exchange.getRequestMethod(), path, parseQuery(query), headers, body, receivedNanos);
                }
                else {
                    reply = auth(exchange.getRequestMethod(), path, parseQuery(query), headers, body);
                }
            }
        }
        catch (RuntimeException e) {
            reply = FakeAccount.errors(500, "server.error", e.toString());
        }
        setStatus(index, reply.status(), reply.body() == null || !recordBodies ? null : JSON.writeValueAsString(reply.body()));
        respond(exchange, reply);
    }

    private void setStatus(int index, int status) {
        setStatus(index, status, null);
    }

    private void setStatus(int index, int status, String response) {
        synchronized (lock) {
            if (index < recorded.size()) {
                Recorded r = recorded.get(index);
                recorded.set(index, new Recorded(r.method(), r.path(), r.query(), r.headers(), r.body(), r.receivedNanos(),
                        r.receivedAt(), status, r.api(), response));
            }
        }
    }

    private static void respond(HttpExchange exchange, FakeAccount.Reply reply) {
        try (exchange) {
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            if (reply.status() == 302) {
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            if (reply.body() == null) {
                exchange.sendResponseHeaders(reply.status(), -1);
                return;
            }
            byte[] bytes = JSON.writeValueAsBytes(reply.body());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        catch (IOException e) {
            // the client went away
        }
    }

    // ---- the API

    private FakeAccount.Reply api(String method, String path, Map<String, String> query, Map<String, String> headers,
            byte[] body, long receivedNanos) {
        // the per-second limit counts every request of the API key, as Constant Contact does
        while (!acceptedApi.isEmpty() && receivedNanos - acceptedApi.peekFirst() >= 1_000_000_000L) {
            acceptedApi.pollFirst();
        }
        if (acceptedApi.size() >= requestsPerSecond) {
            return FakeAccount.Reply.of(429, JSON.createObjectNode().put("error_key", "throttled").put("error_message", "Too Many Requests"));
        }
        acceptedApi.addLast(receivedNanos);
        LocalDate now = LocalDate.now(ZoneOffset.UTC);
        if (!now.equals(today)) {
            today = now;
            requestsToday = 0;
        }
        if (requestsToday >= dailyQuota) {
            return FakeAccount.Reply.of(429, JSON.createObjectNode().put("error_key", "quota_exceeded").put("error_message", "Limit Exceeded"));
        }
        requestsToday++;
        String authorization = headers.get("authorization");
        String token = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
        Grant grant = token == null ? null : accessTokens.get(token);
        if (grant == null || !grant.expires().isAfter(Instant.now())) {
            return FakeAccount.Reply.of(401, JSON.createObjectNode().put("error_key", "unauthorized").put("error_message", "Unauthorized"));
        }
        JsonNode json = null;
        if (method.equals("POST") || method.equals("PUT")) {
            String contentType = headers.getOrDefault("content-type", "");
            if (!contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                return FakeAccount.errors(415, "contacts.api.unsupported_media_type", "Content-Type must be application/json");
            }
            try {
                json = JSON.readTree(new String(body, StandardCharsets.UTF_8));
            }
            catch (RuntimeException e) {
                return FakeAccount.errors(400, "contacts.api.validation.error", "the body is not valid JSON");
            }
        }
        String route = path.substring(3);
        FakeAccount a = grant.account();
        Matcher m;
        switch (method + " " + (route.matches("/[a-z_]+/[^/]+") && !FIXED_ROUTES.contains(route)
                ? route.replaceAll("/[^/]+$", "/{id}") : route)) {
            case "GET /account/summary":
                if (!grant.allows("account_read")) {
                    return FakeAccount.errors(403, "unauthorized", "Forbidden: the access token lacks the account_read scope");
                }
                return a.summary();
            case "GET /contact_lists":
                return a.getLists(query);
            case "POST /contact_lists":
                return a.createList(json);
            case "DELETE /contact_lists/{id}":
                return a.deleteList(last(route));
            case "GET /contact_custom_fields":
                return a.getCustomFields(query);
            case "POST /contact_custom_fields":
                return a.createCustomField(json);
            case "GET /contacts":
                return a.getContacts(query);
            case "POST /contacts":
                return a.createContact(json);
            case "GET /contacts/{id}":
                return a.getContact(last(route), query);
            case "PUT /contacts/{id}":
                return a.putContact(last(route), json);
            case "DELETE /contacts/{id}":
                return a.deleteContact(last(route));
            case "POST /contacts/sign_up_form":
                return a.signUpForm(json);
            case "POST /activities/contacts_json_import":
                if (a.pendingActivities() >= FakeAccount.MAX_PENDING_ACTIVITIES) {
                    return FakeAccount.errors(429, "too_many_activities", "more than 1,000 activities are queued");
                }
                return a.jsonImport(json, body.length, body);
            case "POST /activities/remove_list_memberships":
                return a.listMembership(json, false);
            case "POST /activities/add_list_memberships":
                return a.listMembership(json, true);
            case "GET /activities":
                return a.getActivities();
            case "GET /activities/{id}":
                return a.getActivity(last(route));
            default:
                m = FakeAccount.match("^/([a-z_]+)", route);
                return FakeAccount.errors(m.find() ? 405 : 404, "contacts.api.not_found", method + " " + route + " is not here");
        }
    }

    private static final Set<String> FIXED_ROUTES = Set.of("/activities/contacts_json_import",
            "/activities/remove_list_memberships", "/activities/add_list_memberships", "/contacts/sign_up_form",
            "/account/summary");

    private static String last(String route) {
        return route.substring(route.lastIndexOf('/') + 1);
    }

    // ---- the authorization server

    private FakeAccount.Reply auth(String method, String path, Map<String, String> query, Map<String, String> headers,
            byte[] body) {
        Map<String, String> params = new LinkedHashMap<>(query);
        if (headers.getOrDefault("content-type", "").startsWith("application/x-www-form-urlencoded")) {
            params.putAll(parseQuery(new String(body, StandardCharsets.UTF_8)));
        }
        switch (method + " " + path) {
            case "GET /oauth2/default/v1/authorize":
                return authorize(params);
            case "POST /oauth2/default/v1/token":
                return token(params, headers);
            case "POST /oauth2/default/v1/device/authorize":
                if (headers.containsKey("authorization")) {
                    return FakeAccount.Reply.of(401, oauthError("invalid_client",
                            "the device flow is a public client's: no client secret"));
                }
                return deviceAuthorize(params);
            default:
                return FakeAccount.Reply.of(404, oauthError("not_found", path));
        }
    }

    private FakeAccount.Reply authorize(Map<String, String> params) {
        String redirect = params.get("redirect_uri");
        if (!CLIENT_ID.equals(params.get("client_id")) || redirect == null || !"code".equals(params.get("response_type"))
                || params.get("state") == null) {
            return FakeAccount.Reply.of(400, oauthError("invalid_request", "client_id, redirect_uri, response_type=code and state are required"));
        }
        String target;
        if (denyAuthorization) {
            target = redirect + "?error=access_denied&error_description=" + enc("The user denied access")
                    + "&state=" + enc(params.get("state"));
        }
        else {
            String code = UUID.randomUUID().toString();
            codes.put(code, new AuthorizationCode(CLIENT_ID, redirect, params.getOrDefault("scope", ""),
                    params.get("code_challenge"), Instant.now().plusSeconds(300)));
            target = redirect + "?code=" + enc(code) + "&state=" + enc(params.get("state"));
        }
        return new FakeAccount.Reply(302, null, Map.of("Location", target));
    }

    private FakeAccount.Reply deviceAuthorize(Map<String, String> params) {
        if (!CLIENT_ID.equals(params.get("client_id"))) {
            return FakeAccount.Reply.of(401, oauthError("invalid_client", "unknown client"));
        }
        String userCode = String.format("%04d-%04d", (int) (Math.random() * 10000), (int) (Math.random() * 10000));
        DeviceGrant grant = new DeviceGrant(userCode, params.getOrDefault("scope", ""), Instant.now().plusSeconds(600),
                deviceInterval);
        devices.put(grant.deviceCode, grant);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("device_code", grant.deviceCode);
        answer.put("user_code", userCode);
        answer.put("verification_uri", baseUrl() + "/activate");
        answer.put("verification_uri_complete", baseUrl() + "/activate?user_code=" + userCode);
        answer.put("expires_in", 600);
        answer.put("interval", deviceInterval);
        return FakeAccount.Reply.of(200, answer);
    }

    private FakeAccount.Reply token(Map<String, String> params, Map<String, String> headers) {
        long now = System.nanoTime();
        while (!tokenCalls.isEmpty() && now - tokenCalls.peekFirst() >= 1_000_000_000L) {
            tokenCalls.pollFirst();
        }
        if (tokenCalls.size() >= tokenCallsPerSecond) {
            return FakeAccount.Reply.of(429, oauthError("too_many_requests", "Too many requests to the token endpoint"));
        }
        tokenCalls.addLast(now);
        // a confidential client authenticates with Basic; a public one names itself and proves PKCE
        String basic = headers.get("authorization");
        boolean confidential = false;
        if (basic != null) {
            String expected = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
            if (!basic.equals(expected)) {
                return FakeAccount.Reply.of(401, oauthError("invalid_client", "client authentication failed"));
            }
            confidential = true;
        }
        else if (!CLIENT_ID.equals(params.get("client_id"))) {
            return FakeAccount.Reply.of(401, oauthError("invalid_client", "client authentication failed"));
        }
        String grantType = params.getOrDefault("grant_type", "");
        switch (grantType) {
            case "authorization_code": {
                AuthorizationCode code = codes.remove(params.getOrDefault("code", ""));
                if (code == null || code.expires().isBefore(Instant.now())) {
                    return FakeAccount.Reply.of(400, oauthError("invalid_grant", "The authorization code is invalid or expired."));
                }
                if (!code.redirectUri().equals(params.get("redirect_uri"))) {
                    return FakeAccount.Reply.of(400, oauthError("invalid_grant", "redirect_uri does not match"));
                }
                if (code.challenge() != null) {
                    String verifier = params.get("code_verifier");
                    if (verifier == null || !code.challenge().equals(challengeOf(verifier))) {
                        return FakeAccount.Reply.of(400, oauthError("invalid_grant", "PKCE verification failed"));
                    }
                }
                else if (!confidential) {
                    return FakeAccount.Reply.of(400, oauthError("invalid_request", "a public client must use PKCE"));
                }
                return FakeAccount.Reply.of(200, issue(code.scope(), true));
            }
            case "refresh_token": {
                String refresh = params.getOrDefault("refresh_token", "");
                Grant refreshed = refreshTokens.get(refresh);
                if (refreshed == null) {
                    return FakeAccount.Reply.of(400, oauthError("invalid_grant", "The refresh token is invalid or expired."));
                }
                refreshes++;
                if (rotatingRefreshTokens) {
                    refreshTokens.clear(); // the one used and every earlier one die at once
                    return FakeAccount.Reply.of(200, issue(refreshed.account(), refreshed.scope(), true));
                }
                ObjectNode answer = issue(refreshed.account(), refreshed.scope(), false);
                answer.put("refresh_token", refresh);
                return FakeAccount.Reply.of(200, answer);
            }
            case "urn:ietf:params:oauth:grant-type:device_code": {
                if (confidential) {
                    return FakeAccount.Reply.of(401, oauthError("invalid_client",
                            "the device flow is a public client's: no client secret"));
                }
                DeviceGrant grant = devices.get(params.getOrDefault("device_code", ""));
                if (grant == null) {
                    return FakeAccount.Reply.of(400, oauthError("invalid_grant", "unknown device code"));
                }
                Instant polled = Instant.now();
                devicePolls.add(polled);
                if (slowDownNext || grant.lastPoll != null && polled.isBefore(grant.lastPoll.plusSeconds(grant.interval))) {
                    slowDownNext = false;
                    grant.lastPoll = polled;
                    grant.interval += 5; // RFC 8628: the client is to wait 5 s longer from now on
                    slowDowns++;
                    return FakeAccount.Reply.of(400, oauthError("slow_down", "Polling too fast."));
                }
                grant.lastPoll = polled;
                if (grant.expires.isBefore(Instant.now())) {
                    return FakeAccount.Reply.of(400, oauthError("expired_token", "The device code expired."));
                }
                if (grant.approved == null) {
                    return FakeAccount.Reply.of(400, oauthError("authorization_pending", "The user has not approved yet."));
                }
                devices.remove(grant.deviceCode);
                if (!grant.approved) {
                    return FakeAccount.Reply.of(400, oauthError("access_denied", "The user denied access."));
                }
                return FakeAccount.Reply.of(200, issue(grant.scope, true));
            }
            default:
                return FakeAccount.Reply.of(400, oauthError("unsupported_grant_type", grantType));
        }
    }

    private ObjectNode issue(String scope, boolean newRefreshToken) {
        return issue(account, grantedScopes != null ? grantedScopes : scope, newRefreshToken);
    }

    private ObjectNode issue(FakeAccount to, String scope, boolean newRefreshToken) {
        Instant now = Instant.now();
        Instant expires = now.plus(accessTokenTtl);
        ObjectNode claims = JSON.createObjectNode();
        claims.put("sub", ACCOUNT);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", expires.getEpochSecond());
        claims.put("scp", scope);
        claims.put("jti", UUID.randomUUID().toString());
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String access = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(JSON.writeValueAsBytes(claims)) + "." + b64.encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        accessTokens.put(access, new Grant(expires, to, scope));
        tokensIssued++;
        ObjectNode answer = JSON.createObjectNode();
        answer.put("token_type", "Bearer");
        answer.put("expires_in", accessTokenTtl.toSeconds());
        answer.put("access_token", access);
        answer.put("scope", scope);
        if (newRefreshToken && List.of(scope.split(" ")).contains("offline_access")) {
            String refresh = "rt-" + UUID.randomUUID();
            refreshTokens.put(refresh, new Grant(Instant.MAX, to, scope));
            answer.put("refresh_token", refresh);
        }
        return answer;
    }

    private static String challengeOf(String verifier) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        }
        catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode oauthError(String error, String description) {
        return JSON.createObjectNode().put("error", error).put("error_description", description);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static Map<String, String> parseQuery(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            values.putIfAbsent(FakeAccount.decode(eq < 0 ? pair : pair.substring(0, eq)),
                    eq < 0 ? "" : FakeAccount.decode(pair.substring(eq + 1)));
        }
        return Collections.unmodifiableMap(values);
    }
}
