package org.contactbatch.constantcontact.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.contactbatch.constantcontact.ConstantContactProperties;
import org.contactbatch.constantcontact.SetupException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls to the authorization server's token and device endpoints. A confidential application (one with
 * a client secret) authenticates the browser flow's code exchange and its refreshes with HTTP Basic; a
 * public one sends its client id and proves the PKCE verifier. The device flow, and the refreshes of the
 * tokens it gave, are a public client's whatever is configured: client id only, never the secret. The token endpoint allows about one call a second: a 429 or a 5xx is tried again
 * after a pause, a refusal ({@code invalid_grant}…) is not.
 */
@Component
public class OAuthClient {

    /** The device flow's grant type (RFC 8628). */
    public static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    /** How {@code cc_connection.flow} names tokens got with the device flow. */
    public static final String DEVICE_FLOW = "device_code";

    private final WebClient web;
    private final ConstantContactProperties properties;
    private final RetryTemplate retry;

    public OAuthClient(WebClient constantContactWebClient, ConstantContactProperties properties) {
        this.web = constantContactWebClient;
        this.properties = properties;
        ConstantContactProperties.Retry settings = properties.retry();
        this.retry = new RetryTemplate(RetryPolicy.builder()
                .maxRetries(settings.maxRetries())
                .delay(settings.initialDelay())
                .multiplier(settings.multiplier())
                .maxDelay(settings.maxDelay())
                .predicate(OAuthClient::isTransient)
                .build());
    }

    /** What the device authorization endpoint answered: what to show the person, and what to poll with. */
    public record DeviceAuthorization(String deviceCode, String userCode, String verificationUri,
            String verificationUriComplete, Duration interval, Instant expiresAt) {

        @Override
        public String toString() {
            return "DeviceAuthorization[deviceCode=***, userCode=" + userCode + ", verificationUri=" + verificationUri + "]";
        }
    }

    public TokenResponse exchangeCode(String code, URI redirectUri, String codeVerifier) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("grant_type", "authorization_code");
        form.add("code", code);
        form.add("redirect_uri", redirectUri.toString());
        form.add("code_verifier", codeVerifier);
        return tokens(call(properties.tokenUri(), form, properties.hasClientSecret()));
    }

    /**
     * @param flow how the tokens were got: a device flow's are a public client's, refreshed without the secret
     */
    public TokenResponse refresh(String refreshToken, String flow) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("grant_type", "refresh_token");
        form.add("refresh_token", refreshToken);
        return tokens(call(properties.tokenUri(), form, properties.hasClientSecret() && !DEVICE_FLOW.equals(flow)));
    }

    /**
     * Asks an RFC 7009 revocation endpoint to revoke a refresh token (which ends its access tokens too, where the
     * server follows the RFC), authenticated as its refreshes are. An answer other than 2xx comes as an
     * {@link OAuthException}; RFC 7009 answers 200 for a token that is already invalid, too.
     */
    public void revoke(URI endpoint, String refreshToken, String flow) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("token", refreshToken);
        form.add("token_type_hint", "refresh_token");
        call(endpoint, form, properties.hasClientSecret() && !DEVICE_FLOW.equals(flow));
    }

    public DeviceAuthorization authorizeDevice() {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("client_id", clientId());
        form.add("scope", properties.scopes());
        JsonNode answer = call(properties.deviceAuthorizationUri(), form, false);
        long interval = answer.path("interval").asLong(5);
        long expiresIn = answer.path("expires_in").asLong(600);
        return new DeviceAuthorization(required(answer, "device_code"), required(answer, "user_code"),
                required(answer, "verification_uri"), answer.path("verification_uri_complete").asString(null),
                Duration.ofSeconds(interval), Instant.now().plusSeconds(expiresIn));
    }

    /** One poll of the token endpoint in the device flow; {@code authorization_pending} comes as an {@link OAuthException}. */
    public TokenResponse pollDevice(String deviceCode) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("grant_type", DEVICE_GRANT);
        form.add("device_code", deviceCode);
        form.add("client_id", clientId());
        return tokens(call(properties.tokenUri(), form, false));
    }

    String clientId() {
        String clientId = properties.clientId();
        if (clientId == null || clientId.isBlank()) {
            throw new SetupException("no Constant Contact client id: set contact-batch.constant-contact.client-id "
                    + "(environment CONTACT_BATCH_CONSTANTCONTACT_CLIENTID) to your application's API key");
        }
        return clientId;
    }

    /**
     * @param confidential authenticate with the client secret (HTTP Basic): only the browser flow of an
     *                     application that has one; the device flow is a public client's and sends no secret
     */
    private JsonNode call(URI endpoint, MultiValueMap<String, String> form, boolean confidential) {
        String clientId = clientId();
        return retry.invoke(() -> web.post().uri(endpoint)
                .headers(headers -> {
                    headers.setAccept(java.util.List.of(MediaType.APPLICATION_JSON));
                    if (confidential) {
                        headers.set(HttpHeaders.AUTHORIZATION, "Basic " + Base64.getEncoder().encodeToString(
                                (clientId + ":" + properties.clientSecret()).getBytes(StandardCharsets.UTF_8)));
                    }
                })
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(withClientId(form, clientId, confidential)))
                .exchangeToMono(response -> response.bodyToMono(String.class).defaultIfEmpty("")
                        .map(body -> answer(response.statusCode().value(), body)))
                .switchIfEmpty(Mono.error(new IllegalStateException("no answer from " + endpoint)))
                .block(properties.responseTimeout().plusSeconds(5)));
    }

    /** A public client names itself in the form; a confidential one does so with its Basic credentials. */
    private static MultiValueMap<String, String> withClientId(MultiValueMap<String, String> form, String clientId,
            boolean confidential) {
        if (!confidential && !form.containsKey("client_id")) {
            MultiValueMap<String, String> copy = new LinkedMultiValueMap<>(form);
            copy.add("client_id", clientId);
            return copy;
        }
        return form;
    }

    private static JsonNode answer(int status, String body) {
        JsonNode json;
        try {
            json = body.isBlank() ? JsonMapper.shared().createObjectNode() : JsonMapper.shared().readTree(body);
        }
        catch (RuntimeException notJson) {
            json = JsonMapper.shared().createObjectNode();
        }
        if (status >= 200 && status < 300) {
            return json;
        }
        String error = json.path("error").asString(json.path("error_key").asString("http_" + status));
        String description = json.path("error_description").asString(json.path("error_message").asString(null));
        if (status == 429 || status >= 500) {
            throw new TransientTokenEndpointException(status, error, description);
        }
        throw new OAuthException(status, error, description);
    }

    private static TokenResponse tokens(JsonNode answer) {
        String access = required(answer, "access_token");
        String refresh = answer.path("refresh_token").asString(null);
        Instant expiresAt = Jwt.expiry(access)
                .orElseGet(() -> Instant.now().plusSeconds(answer.path("expires_in").asLong(3600)));
        String account = Jwt.account(answer.path("id_token").asString(null))
                .or(() -> Jwt.account(access)).orElse(null);
        return new TokenResponse(access, refresh == null || refresh.isBlank() ? null : refresh, expiresAt,
                answer.path("scope").asString(null), account);
    }

    private static String required(JsonNode answer, String field) {
        String value = answer.path(field).asString(null);
        if (value == null || value.isBlank()) {
            throw new OAuthException(200, "invalid_response", "the authorization server's answer has no " + field);
        }
        return value;
    }

    private static boolean isTransient(Throwable t) {
        return t instanceof TransientTokenEndpointException || t instanceof WebClientRequestException
                || t instanceof java.util.concurrent.TimeoutException
                || t.getCause() instanceof java.util.concurrent.TimeoutException;
    }

    /** 429 or 5xx from the authorization server: worth another try after a pause. */
    static final class TransientTokenEndpointException extends OAuthException {
        TransientTokenEndpointException(int status, String error, String description) {
            super(status, error, description);
        }
    }
}
