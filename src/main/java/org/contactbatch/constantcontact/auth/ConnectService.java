package org.contactbatch.constantcontact.auth;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.contactbatch.constantcontact.AccountSwitch;
import org.contactbatch.constantcontact.ConstantContactProperties;
import org.contactbatch.constantcontact.SetupException;
import org.contactbatch.constantcontact.client.ApiException;
import org.contactbatch.constantcontact.client.ConstantContactClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Connects a Constant Contact account: the authorization-code flow with PKCE (so a code
 * intercepted on its way back is of no use to anyone else), whose answer comes back to a short-lived listener on the registered 127.0.0.1 redirect URI, or the
 * device flow for a machine without a browser. Either way the tokens end up encrypted in the
 * database, replacing any account connected before.
 */
@Service
public class ConnectService {

    private final ConstantContactProperties properties;
    private final OAuthClient oauth;
    private final TokenStore store;
    private final TokenService tokens;
    private final ConstantContactClient client;
    private final AccountSwitch accounts;

    public ConnectService(ConstantContactProperties properties, OAuthClient oauth, TokenStore store, TokenService tokens,
            ConstantContactClient client, AccountSwitch accounts) {
        this.properties = properties;
        this.oauth = oauth;
        this.store = store;
        this.tokens = tokens;
        this.client = client;
        this.accounts = accounts;
    }

    /**
     * A connection made: its tokens, the account's name, and how the account relates to the one this
     * database's sync state was about ({@link AccountSwitch}).
     */
    public record Connection(StoredTokens tokens, String organization, AccountSwitch.Outcome account) {
    }

    /**
     * The browser flow. {@code show} gets the address the person has to open; this waits for the
     * authorization server to send the browser back to the redirect URI with a code.
     */
    public Connection connectWithBrowser(Consumer<URI> show) {
        String clientId = oauth.clientId();
        URI redirect = properties.redirectUri();
        requireLocalRedirect(redirect);
        checkKey();
        Pkce pkce = Pkce.create();
        String state = Pkce.randomToken(16);
        CompletableFuture<String> code = new CompletableFuture<>();
        HttpServer callback = listen(redirect, state, code);
        try {
            URI authorize = UriComponentsBuilder.fromUri(properties.authorizationUri())
                    .queryParam("client_id", clientId)
                    .queryParam("redirect_uri", redirect.toString())
                    .queryParam("response_type", "code")
                    .queryParam("scope", properties.scopes())
                    .queryParam("state", state)
                    .queryParam("code_challenge", pkce.challenge())
                    .queryParam("code_challenge_method", "S256")
                    .encode().build().toUri();
            show.accept(authorize);
            String authorizationCode = await(code, properties.connectWait(), "the browser to come back to " + redirect);
            TokenResponse answer = oauth.exchangeCode(authorizationCode, redirect, pkce.verifier());
            return saved(answer, "authorization_code");
        }
        finally {
            callback.stop(0);
        }
    }

    /** The device flow: {@code show} gets what the person has to open and type; this polls until they approved. */
    public Connection connectWithDevice(Consumer<OAuthClient.DeviceAuthorization> show) {
        checkKey();
        OAuthClient.DeviceAuthorization device = oauth.authorizeDevice();
        show.accept(device);
        Instant deadline = min(device.expiresAt(), Instant.now().plus(properties.connectWait()));
        Duration interval = device.interval().isZero() ? Duration.ofMillis(200) : device.interval();
        while (Instant.now().isBefore(deadline)) {
            sleep(interval);
            try {
                return saved(oauth.pollDevice(device.deviceCode()), OAuthClient.DEVICE_FLOW);
            }
            catch (OAuthException e) {
                switch (e.error()) {
                    case "authorization_pending" -> {
                        // not yet approved: keep polling
                    }
                    case "slow_down" -> interval = interval.plusSeconds(5);
                    case "access_denied" -> throw new SetupException("the connection was refused in the browser");
                    case "expired_token" -> throw new SetupException("the code expired before it was entered; run cc connect --device again");
                    default -> throw e;
                }
            }
        }
        throw new SetupException("nobody approved the connection in time; run cc connect --device again");
    }

    private Connection saved(TokenResponse answer, String flow) {
        if (answer.refreshToken() == null) {
            // without one the connection dies with the access token; say so now rather than tomorrow night
            throw new SetupException("Constant Contact granted no refresh token (scopes granted: " + answer.scope()
                    + "); ask for offline_access in contact-batch.constant-contact.scopes and connect again");
        }
        StoredTokens stored = store.saveNew(answer, flow);
        tokens.connected(stored);
        // which account approved: the sync state of one account must never be taken for another's
        JsonNode summary;
        try {
            summary = client.accountSummary();
        }
        catch (ApiException e) {
            throw notConnected("Constant Contact would not say which account was connected (" + e.getMessage()
                    + "); connect again with account_read in contact-batch.constant-contact.scopes (scopes granted: "
                    + answer.scope() + ")");
        }
        String accountId = summary.path("encoded_account_id").asString("");
        if (accountId.isBlank()) {
            throw notConnected("Constant Contact's account summary has no encoded_account_id; not connected");
        }
        String organization = summary.path("organization_name").asString(null);
        AccountSwitch.Outcome outcome = accounts.bind(accountId);
        return new Connection(store.recordAccount(accountId, organization), organization, outcome);
    }

    /** Forgets the connection just saved (an account this program can't tell apart is not kept) and says why. */
    private SetupException notConnected(String why) {
        store.forget();
        tokens.forget();
        return new SetupException(why);
    }

    private void checkKey() {
        // fail before the person goes through the browser, not after
        store.requireKey();
    }

    private static void requireLocalRedirect(URI redirect) {
        String host = redirect.getHost();
        if (!"http".equals(redirect.getScheme()) || host == null
                || !(host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]"))
                || redirect.getPort() <= 0) {
            throw new SetupException("the redirect URI " + redirect + " is not one this machine can listen on: register "
                    + "and configure one like http://127.0.0.1:8765/callback, or use cc connect --device");
        }
    }

    private static HttpServer listen(URI redirect, String state, CompletableFuture<String> code) {
        try {
            HttpServer server = HttpServer.create(
                    new InetSocketAddress(InetAddress.getByName(redirect.getHost()), redirect.getPort()), 0);
            String path = redirect.getPath() == null || redirect.getPath().isEmpty() ? "/" : redirect.getPath();
            server.createContext(path, exchange -> answerCallback(exchange, state, code));
            server.start();
            return server;
        }
        catch (IOException e) {
            throw new SetupException("can't listen on " + redirect + " for the browser's answer (" + e.getMessage()
                    + "); is another cc connect running?", e);
        }
    }

    private static void answerCallback(HttpExchange exchange, String state, CompletableFuture<String> code) {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String page;
        int status = 400;
        Runnable outcome = () -> { };
        if (!state.equals(query.get("state"))) {
            page = "This answer does not belong to the connection being made; start cc connect again.";
        }
        else if (query.containsKey("error")) {
            page = "Constant Contact said: " + query.get("error") + " " + query.getOrDefault("error_description", "");
            SetupException refused = new SetupException("the connection was not authorized: " + query.get("error")
                    + (query.containsKey("error_description") ? " (" + query.get("error_description") + ")" : ""));
            outcome = () -> code.completeExceptionally(refused);
        }
        else if (query.get("code") == null) {
            page = "The answer has no authorization code.";
        }
        else {
            status = 200;
            page = "contact-batch is now connected to Constant Contact. You can close this window.";
            String authorizationCode = query.get("code");
            outcome = () -> code.complete(authorizationCode);
        }
        // answer the browser first: the waiting side stops this listener as soon as it has the outcome
        try (exchange) {
            byte[] body = ("<!doctype html><meta charset=utf-8><title>contact-batch</title><p>" + page
                    .replace("&", "&amp;").replace("<", "&lt;") + "</p>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        catch (IOException e) {
            // the browser went away; the outcome stands
        }
        outcome.run();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.putIfAbsent(key, value);
        }
        return values;
    }

    private static String await(CompletableFuture<String> future, Duration wait, String what) {
        try {
            return future.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException e) {
            throw new SetupException("gave up waiting for " + what + " after " + wait.toSeconds()
                    + " s; run cc connect again (or cc connect --device)");
        }
        catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SetupException("interrupted while waiting for " + what);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SetupException("interrupted while waiting for the connection to be approved");
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
