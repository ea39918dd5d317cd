package org.contactbatch.constantcontact.client;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

import javax.sql.DataSource;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import org.contactbatch.constantcontact.ConstantContactProperties;
import org.springframework.stereotype.Component;

/**
 * The one request budget of the whole application: Constant Contact counts 4 requests a
 * second and 10,000 a day per API key, whoever sends them. The bucket lives in PostgreSQL
 * ({@code cc_rate_limit_bucket}), so every process on the database draws from the same one.
 *
 * <p>Requests are spaced evenly rather than let through in bursts: a burst of four followed by the
 * next at the refill would look like more than four in one second to a server counting over a sliding
 * second, and a small margin keeps delays on the way from doing the same. The daily budget refills at
 * UTC midnight, when Constant Contact's does.
 */
@Component
public class ApiRateLimiter {

    private final ProxyManager<Long> buckets;
    private final ConstantContactProperties.Rate settings;
    private final long key;
    private volatile BucketProxy bucket;

    public ApiRateLimiter(DataSource dataSource, ConstantContactProperties properties) {
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .table("cc_rate_limit_bucket")
                .build();
        this.settings = properties.rate();
        // one budget per API key, as Constant Contact counts
        this.key = Objects.hashCode(properties.clientId());
    }

    /** Waits for the next request's turn. Throws when the day's budget is used up. */
    public void acquire() {
        while (true) {
            ConsumptionProbe probe = bucket().tryConsumeAndReturnRemaining(1);
            if (probe.isConsumed()) {
                return;
            }
            long waitNanos = probe.getNanosToWaitForRefill();
            if (waitNanos > settings.maxWait().toNanos()) {
                throw new QuotaExceededException("the daily budget of " + settings.dailyBudget()
                        + " Constant Contact requests is used up (contact-batch.constant-contact.rate.daily-budget); "
                        + "it refills at 00:00 UTC, and the next run continues where this one stopped");
            }
            try {
                Thread.sleep(Math.max(1, waitNanos / 1_000_000), (int) (waitNanos % 1_000_000));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the rate limiter", e);
            }
        }
    }

    private BucketProxy bucket() {
        BucketProxy current = bucket;
        if (current == null) {
            BucketConfiguration configuration = configuration();
            current = buckets.builder()
                    // a changed setting replaces the stored configuration, keeping what was used today
                    .withImplicitConfigurationReplacement(version(), TokensInheritanceStrategy.PROPORTIONALLY)
                    .build(key, () -> configuration);
            bucket = current;
        }
        return current;
    }

    private BucketConfiguration configuration() {
        Instant nextMidnight = LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(1).refillGreedy(1, settings.spacing()).id("spacing").build())
                .addLimit(Bandwidth.builder().capacity(settings.dailyBudget())
                        .refillIntervallyAligned(settings.dailyBudget(), Duration.ofDays(1), nextMidnight)
                        .id("daily").build())
                .build();
    }

    private long version() {
        return Math.abs(Objects.hash(settings.requestsPerSecond(), settings.spacingMargin(), settings.dailyBudget()));
    }
}
