package org.contactbatch.constantcontact.auth;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the claims of a JWT access token, without checking its signature: only to know when it
 * expires and whose it is. Constant Contact's access tokens are JWTs; anything else is simply opaque.
 */
final class Jwt {

    private Jwt() {
    }

    static Optional<JsonNode> claims(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.");
        if (parts.length < 2) {
            return Optional.empty();
        }
        try {
            byte[] json = Base64.getUrlDecoder().decode(parts[1]);
            JsonNode claims = JsonMapper.shared().readTree(new String(json, StandardCharsets.UTF_8));
            return claims != null && claims.isObject() ? Optional.of(claims) : Optional.empty();
        }
        catch (RuntimeException notAJwt) {
            return Optional.empty();
        }
    }

    static Optional<Instant> expiry(String token) {
        return claims(token).map(c -> c.get("exp")).filter(JsonNode::isNumber)
                .map(exp -> Instant.ofEpochSecond(exp.asLong()));
    }

    /** The account the token belongs to: its subject (Constant Contact puts the user's login there). */
    static Optional<String> account(String token) {
        return claims(token).map(c -> c.get("sub")).filter(JsonNode::isString).map(JsonNode::asString);
    }
}
