package org.contactbatch.consent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.contactbatch.db.DataHome;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The tokens of the confirm and decline links: {@code <request>.<contact>.<expires>} (ids and epoch seconds,
 * nothing a person typed) and an HMAC-SHA256 of it under the token key, all base64url. A token names the
 * contact and the request it was sent for, and when it stops working; that it works once is the request's
 * business (an answered request takes no second answer).
 *
 * <p>The key is {@code contact-batch.consent.token-key} (in the environment). Without one, a random key is made
 * once and kept in the data home ({@value #KEY_FILE}, readable by its owner only), so a fresh installation's
 * links work from the first upload; every process that shares the data home shares it. Where the console runs
 * on another machine than the commands, set the same key on both.
 */
@Component
public class ConsentTokens {

    /** What a token says, once its signature checked out. */
    public record Claims(long requestId, long contactId, Instant expires) {
    }

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    static final String KEY_FILE = "consent-token.key";

    private final ConsentProperties properties;
    private final Path home;
    private volatile byte[] key;

    public ConsentTokens(ConsentProperties properties, @Value("${" + DataHome.PROPERTY + "}") Path home) {
        this.properties = properties;
        this.home = home;
    }

    public String sign(Claims claims) {
        String payload = claims.requestId() + "." + claims.contactId() + "." + claims.expires().getEpochSecond();
        byte[] body = payload.getBytes(StandardCharsets.US_ASCII);
        return ENCODER.encodeToString(body) + "." + ENCODER.encodeToString(mac(body));
    }

    /** The claims of a token this installation signed; empty for anything else (forged, altered, garbled). */
    public Optional<Claims> verify(String token) {
        if (token == null || token.length() > 200) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot < 0 || token.indexOf('.', dot + 1) >= 0) {
            return Optional.empty();
        }
        byte[] body;
        byte[] signature;
        try {
            body = DECODER.decode(token.substring(0, dot));
            signature = DECODER.decode(token.substring(dot + 1));
        }
        catch (IllegalArgumentException garbled) { // not base64: not one of ours
            return Optional.empty();
        }
        // one spelling per token: base64's spare bits in the last character would let a link be written
        // several ways, each of which "works"; the key's own problems are not the token's and are thrown
        if (!ENCODER.encodeToString(body).equals(token.substring(0, dot))
                || !ENCODER.encodeToString(signature).equals(token.substring(dot + 1))
                || !MessageDigest.isEqual(signature, mac(body))) {
            return Optional.empty();
        }
        String[] parts = new String(body, StandardCharsets.US_ASCII).split("\\.");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Claims(Long.parseLong(parts[0]), Long.parseLong(parts[1]),
                    Instant.ofEpochSecond(Long.parseLong(parts[2]))));
        }
        catch (NumberFormatException | DateTimeException garbled) {
            return Optional.empty();
        }
    }

    private byte[] mac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            return mac.doFinal(body);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /**
     * Fails with what to do when the configured (or kept) key is too weak, before any message goes out and
     * when {@code serve} starts: otherwise every link would be "not valid" without a word why.
     */
    public void requireKey() {
        key();
    }

    private byte[] key() {
        byte[] known = key;
        if (known == null) {
            known = key = configuredOrKept();
        }
        return known;
    }

    private byte[] configuredOrKept() {
        String configured = properties.tokenKey();
        if (configured != null && !configured.isBlank()) {
            if (configured.length() < ConsentProperties.MIN_KEY_LENGTH) {
                throw new IllegalArgumentException("the consent token key is too short to be safe: give "
                        + ConsentProperties.TOKEN_KEY_VARIABLE + " at least " + ConsentProperties.MIN_KEY_LENGTH
                        + " characters, e.g. $(openssl rand -hex 32)");
            }
            return configured.getBytes(StandardCharsets.UTF_8);
        }
        Path file = home.resolve(KEY_FILE);
        try {
            if (!Files.exists(file)) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                Files.createDirectories(home);
                Path written = Files.createTempFile(home, KEY_FILE, ".new",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(written, HexFormat.of().formatHex(random));
                try {
                    // another process may have made one meanwhile: the first one stays
                    Files.createLink(file, written);
                }
                catch (FileAlreadyExistsException madeMeanwhile) {
                    // keep theirs
                }
                finally {
                    Files.delete(written);
                }
            }
            String kept = Files.readString(file).strip();
            if (kept.length() < ConsentProperties.MIN_KEY_LENGTH) {
                throw new IllegalArgumentException("the consent links' key file " + file + " is "
                        + (kept.isEmpty() ? "empty" : "too short to be safe") + ": delete it and a new key is made "
                        + "(links sent so far stop working), or set " + ConsentProperties.TOKEN_KEY_VARIABLE);
            }
            return kept.getBytes(StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot keep the consent links' key in " + file + " (" + e.getMessage()
                    + "); set " + ConsentProperties.TOKEN_KEY_VARIABLE + " instead", e);
        }
    }
}
