package org.contactbatch.constantcontact.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.Test;

/** What the debug log keeps of a request's address: paging and filtering, never a token or contact data. */
class RequestLogTest {

    @Test
    void keepsThePathAndThePagingAndFilteringValues() {
        assertThat(RequestLog.redacted(URI.create(
                "https://api.cc.email/v3/contacts?status=unsubscribed&optout_after=2026-12-01T00:00:00Z&limit=500&cursor=abc")))
                .isEqualTo("/v3/contacts?status=unsubscribed&optout_after=2026-12-01T00:00:00Z&limit=500&cursor=abc");
        assertThat(RequestLog.redacted(URI.create("https://api.cc.email/v3/contacts/6a1c1e4e-9b4f-4c2a-8f7e-1b2c3d4e5f60")))
                .isEqualTo("/v3/contacts/6a1c1e4e-9b4f-4c2a-8f7e-1b2c3d4e5f60");
        assertThat(RequestLog.redacted(URI.create("https://authz.constantcontact.com/oauth2/default/v1/token")))
                .isEqualTo("/oauth2/default/v1/token");
    }

    @Test
    void hidesEveryOtherQueryValueAndAnyPathSegmentWithAnAddress() {
        assertThat(RequestLog.redacted(URI.create(
                "https://api.cc.email/v3/contacts?email=ada%2Blist%40example.com&status=all&first_name=Ada")))
                .isEqualTo("/v3/contacts?email=***&status=all&first_name=***");
        assertThat(RequestLog.redacted(URI.create(
                "https://authz.example/oauth2/default/v1/token?refresh_token=secret&code=xyz&grant_type=refresh_token")))
                .isEqualTo("/oauth2/default/v1/token?refresh_token=***&code=***&grant_type=***");
        assertThat(RequestLog.redacted(URI.create("https://api.cc.email/v3/contacts/ada%40example.com/lists")))
                .isEqualTo("/v3/contacts/***/lists");
    }

    /** A cursor is opaque: one that decodes to the first page's filters is kept only when they hold no address. */
    @Test
    void hidesACursorThatCarriesAnAddress() {
        String withEmail = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "email=ada%40example.com&status=all&offset=1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String paging = java.util.Base64.getEncoder().encodeToString(
                "limit=500&next=6a1c1e4e-9b4f-4c2a-8f7e-1b2c3d4e5f60".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(RequestLog.redacted(URI.create("https://api.cc.email/v3/contacts?cursor=" + withEmail)))
                .isEqualTo("/v3/contacts?cursor=***");
        assertThat(RequestLog.redacted(URI.create("https://api.cc.email/v3/contacts?cursor=" + paging)))
                .isEqualTo("/v3/contacts?cursor=" + paging);
        assertThat(RequestLog.redacted(URI.create("https://api.cc.email/v3/contacts?status=ada%40example.com")))
                .isEqualTo("/v3/contacts?status=***");
    }
}
