package org.contactbatch.constantcontact.auth;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.contactbatch.constantcontact.ConstantContactProperties;
import org.contactbatch.constantcontact.SetupException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.encrypt.Encryptors;
import org.springframework.security.crypto.encrypt.TextEncryptor;
import org.springframework.security.crypto.keygen.KeyGenerators;
import org.springframework.stereotype.Repository;

/**
 * The connected account's tokens in {@code cc_connection}, encrypted with the key from the environment
 * (AES-256-GCM with a random IV per value, the key derived from the setting and the row's salt).
 * Without the key nothing can be stored or read; with a different key the stored tokens can't be
 * read and the account has to be connected again.
 */
@Repository
public class TokenStore {

    private final JdbcClient jdbc;
    private final ConstantContactProperties properties;

    public TokenStore(JdbcClient jdbc, ConstantContactProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /**
     * Replaces whatever was connected before with these tokens; a disconnection noted before ends in the same
     * statement, so no process can see the new tokens and still take the account for disconnected.
     */
    public StoredTokens saveNew(TokenResponse tokens, String flow) {
        String salt = KeyGenerators.string().generateKey();
        TextEncryptor cipher = cipher(salt);
        jdbc.sql("""
                with reconnected as (delete from cc_disconnection)
                insert into cc_connection (id, account, scope, salt, access_token, refresh_token, access_expires_at, flow,
                    connected_at, refreshed_at, refresh_count, last_error, last_error_at)
                values (1, :account, :scope, :salt, :access, :refresh, :expires, :flow, now(), null, 0, null, null)
                on conflict (id) do update set account = excluded.account, scope = excluded.scope, salt = excluded.salt,
                    access_token = excluded.access_token, refresh_token = excluded.refresh_token,
                    access_expires_at = excluded.access_expires_at, flow = excluded.flow, connected_at = now(),
                    refreshed_at = null, refresh_count = 0, last_error = null, last_error_at = null, account_id = null,
                    organization = null""")
                .param("account", tokens.account()).param("scope", tokens.scope()).param("salt", salt)
                .param("access", cipher.encrypt(tokens.accessToken()))
                .param("refresh", tokens.refreshToken() == null ? null : cipher.encrypt(tokens.refreshToken()))
                .param("expires", Timestamp.from(tokens.expiresAt())).param("flow", flow)
                .update();
        return load().orElseThrow();
    }

    public Optional<StoredTokens> load() {
        return jdbc.sql("select * from cc_connection where id = 1").query(this::map).optional();
    }

    /** Reads and locks the row until the caller's transaction ends: one refresh at a time, in every process. */
    public Optional<StoredTokens> lockAndLoad() {
        return jdbc.sql("select * from cc_connection where id = 1 for update").query(this::map).optional();
    }

    /**
     * Saves the result of a refresh. A token endpoint that returns no refresh token (a long-lived one)
     * leaves the stored one as it is; a rotated one replaces it, in the caller's transaction.
     */
    public StoredTokens saveRefreshed(StoredTokens before, TokenResponse tokens) {
        String salt = jdbc.sql("select salt from cc_connection where id = 1").query(String.class).single();
        TextEncryptor cipher = cipher(salt);
        String refresh = tokens.refreshToken() != null ? tokens.refreshToken() : before.refreshToken();
        jdbc.sql("""
                update cc_connection set access_token = :access, refresh_token = :refresh, access_expires_at = :expires,
                    scope = coalesce(:scope, scope), account = coalesce(account, :account), refreshed_at = now(),
                    refresh_count = refresh_count + 1, last_error = null, last_error_at = null
                where id = 1""")
                .param("access", cipher.encrypt(tokens.accessToken()))
                .param("refresh", refresh == null ? null : cipher.encrypt(refresh))
                .param("expires", Timestamp.from(tokens.expiresAt()))
                .param("scope", tokens.scope()).param("account", tokens.account())
                .update();
        return lockAndLoad().orElseThrow();
    }

    /** Notes which account the connection is to, as its account summary says. */
    public StoredTokens recordAccount(String accountId, String organization) {
        jdbc.sql("update cc_connection set account_id = :id, organization = :organization where id = 1")
                .param("id", accountId).param("organization", organization).update();
        return load().orElseThrow();
    }

    /** Removes the connection: a new one is needed before any request. */
    public void forget() {
        jdbc.sql("delete from cc_connection").update();
    }

    /** Whether a connection is stored, readable or not: a lookup by key, cheap enough for every request. */
    public boolean connected() {
        return jdbc.sql("select exists (select 1 from cc_connection where id = 1)").query(Boolean.class).single();
    }

    /** Whether a connection is stored, readable or not; locks its row until the caller's transaction ends. */
    public boolean lockConnection() {
        return jdbc.sql("select 1 from cc_connection where id = 1 for update").query(Integer.class).optional().isPresent();
    }

    /**
     * Removes the connection and notes that it was disconnected on purpose, with the account it was to, in the
     * caller's transaction.
     */
    public Disconnection disconnect(String by, String revocation) {
        jdbc.sql("""
                insert into cc_disconnection (id, disconnected_at, disconnected_by, account_id, organization, revocation)
                values (1, now(), :by, (select account_id from cc_connection where id = 1),
                    (select organization from cc_connection where id = 1), :revocation)
                on conflict (id) do update set disconnected_at = excluded.disconnected_at,
                    disconnected_by = excluded.disconnected_by, account_id = excluded.account_id,
                    organization = excluded.organization, revocation = excluded.revocation""")
                .param("by", by).param("revocation", revocation).update();
        jdbc.sql("delete from cc_connection").update();
        return disconnection().orElseThrow();
    }

    /** The disconnection in force: present from {@code cc disconnect} until the next {@code cc connect}. */
    public Optional<Disconnection> disconnection() {
        return jdbc.sql("""
                select disconnected_at, disconnected_by, account_id, organization, revocation
                from cc_disconnection where id = 1""")
                .query((rs, n) -> new Disconnection(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5)))
                .optional();
    }

    /** Notes a failed refresh for {@code cc status}; the tokens stay as they were. */
    public void recordError(String message) {
        jdbc.sql("update cc_connection set last_error = :message, last_error_at = now() where id = 1")
                .param("message", message).update();
    }

    private StoredTokens map(ResultSet rs, int row) throws SQLException {
        TextEncryptor cipher = cipher(rs.getString("salt"));
        String access;
        String refresh;
        try {
            access = cipher.decrypt(rs.getString("access_token"));
            String stored = rs.getString("refresh_token");
            refresh = stored == null ? null : cipher.decrypt(stored);
        }
        catch (RuntimeException e) {
            throw new SetupException("the stored Constant Contact tokens can't be decrypted with the configured "
                    + "token key (was it changed?); set the key they were saved with, or connect again with: cc connect");
        }
        return new StoredTokens(rs.getString("account"), rs.getString("scope"), access, refresh,
                instant(rs, "access_expires_at"), rs.getString("flow"), instant(rs, "connected_at"),
                instant(rs, "refreshed_at"), rs.getInt("refresh_count"), rs.getString("last_error"),
                instant(rs, "last_error_at"), rs.getString("account_id"), rs.getString("organization"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    /** Fails with what to do when no token key is configured. */
    public void requireKey() {
        cipher(KeyGenerators.string().generateKey());
    }

    private TextEncryptor cipher(String salt) {
        String key = properties.tokenKey();
        if (key == null || key.isBlank()) {
            throw new SetupException("no key to encrypt the Constant Contact tokens with: set the environment variable "
                    + "CONTACT_BATCH_CONSTANTCONTACT_TOKENKEY (or contact-batch.constant-contact.token-key) to a long "
                    + "random secret, and keep it");
        }
        return Encryptors.delux(key, salt);
    }
}
