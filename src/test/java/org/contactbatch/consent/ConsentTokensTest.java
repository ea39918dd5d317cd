package org.contactbatch.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsentTokensTest {

    @TempDir
    Path home;

    private ConsentTokens tokens(String key) {
        return new ConsentTokens(new ConsentProperties(key, URI.create("http://localhost:8080"), "a@example.org", "o",
                "r", "s", "consent-request", Duration.ofDays(30), Duration.ofDays(7), Duration.ofDays(30), 5, home, "-"), home);
    }

    @Test
    void aTokenSaysWhichRequestAndContactAndWhenItEndsAndNothingElse() {
        Instant expires = Instant.parse("2027-01-01T00:00:00Z");
        String token = tokens("key-0123456789abcdef").sign(new ConsentTokens.Claims(41, 7, expires));

        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.US_ASCII))
                .isEqualTo("41.7." + expires.getEpochSecond());
        assertThat(tokens("key-0123456789abcdef").verify(token)).contains(new ConsentTokens.Claims(41, 7, expires));
    }

    @Test
    void anythingNotSignedWithTheKeyIsRefused() {
        ConsentTokens tokens = tokens("key-0123456789abcdef");
        String token = tokens.sign(new ConsentTokens.Claims(41, 7, Instant.now()));
        String otherContact = Base64.getUrlEncoder().withoutPadding().encodeToString("41.8.1".getBytes(StandardCharsets.US_ASCII))
                + token.substring(token.indexOf('.'));

        assertThat(tokens("another-key-0123456789").verify(token)).isEmpty();
        assertThat(tokens.verify(otherContact)).isEmpty();
        assertThat(tokens.verify(token + "x")).isEmpty();
        // the signature's last character has two spare bits: another spelling of the same bytes is refused too
        char last = token.charAt(token.length() - 1);
        char sameBytes = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                .charAt("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".indexOf(last) ^ 1);
        assertThat(tokens.verify(token.substring(0, token.length() - 1) + sameBytes)).isEmpty();
        assertThat(tokens.verify(token.replace('.', 'x'))).isEmpty();
        assertThat(tokens.verify("a.b.c")).isEmpty();
        assertThat(tokens.verify("%%%.%%%")).isEmpty();
        assertThat(tokens.verify(null)).isEmpty();
    }

    @Test
    void withoutAConfiguredKeyOneIsMadeOnceAndKeptForTheOwnerOnly() throws Exception {
        String token = tokens(null).sign(new ConsentTokens.Claims(1, 2, Instant.now()));
        Path kept = home.resolve(ConsentTokens.KEY_FILE);

        assertThat(Files.getPosixFilePermissions(kept)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(kept)).hasSize(64);
        assertThat(tokens(null).verify(token)).as("another process, the same home").isPresent();
        assertThat(tokens("key-0123456789abcdef").verify(token)).isEmpty();
    }

    @Test
    void aShortKeyIsRefusedSayingWhatToDo() {
        assertThatThrownBy(() -> tokens("short").requireKey()).hasMessageContaining("CONTACT_BATCH_CONSENT_TOKENKEY")
                .hasMessageContaining("at least 16");
    }

    @Test
    void anEmptyKeyFileIsRefusedSayingWhatToDoNotTakenForABadLink() throws Exception {
        String token = tokens(null).sign(new ConsentTokens.Claims(1, 2, Instant.now()));
        Files.writeString(home.resolve(ConsentTokens.KEY_FILE), "\n");

        assertThatThrownBy(() -> tokens(null).requireKey()).hasMessageContaining("is empty")
                .hasMessageContaining("CONTACT_BATCH_CONSENT_TOKENKEY");
        // a link checked under an unusable key says so, instead of "not valid"
        assertThatThrownBy(() -> tokens(null).verify(token)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> tokens("short").verify(token)).hasMessageContaining("at least 16");
    }
}
