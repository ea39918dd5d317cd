package org.contactbatch.config;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import static org.contactbatch.config.SettingChecks.atLeast;
import static org.contactbatch.config.SettingChecks.notBlank;
import static org.contactbatch.config.SettingChecks.required;

/**
 * Settings of the application (prefix {@code contact-batch}).
 *
 * @param reportsDir         where each job execution writes its reports
 * @param jobsDir            saved job profiles and column mappings
 * @param defaultPhoneRegion region for phone numbers written without a country code (ISO 3166 code)
 * @param chunkSize          rows per transaction in chunked steps
 * @param partitionMinRows   from this many rows on, a file is staged and applied in partitions
 *                           that run side by side
 * @param workers            how many partitions run side by side; 0 for one per core, at most 4
 *                           (each holds a database connection while it runs)
 */
@ConfigurationProperties("contact-batch")
public record ContactBatchProperties(
        @DefaultValue("reports") Path reportsDir,
        @DefaultValue("jobs") Path jobsDir,
        @DefaultValue("US") String defaultPhoneRegion,
        @DefaultValue("5000") int chunkSize,
        @DefaultValue("50000") long partitionMinRows,
        @DefaultValue("0") int workers) {

    public ContactBatchProperties {
        required("reports-dir", reportsDir);
        required("jobs-dir", jobsDir);
        notBlank("default-phone-region", defaultPhoneRegion);
        atLeast("chunk-size", chunkSize, 1);
        atLeast("partition-min-rows", partitionMinRows, 1);
        atLeast("workers", workers, 0);
    }

    /** The number of partitions that run side by side. */
    public int parallelism() {
        return workers > 0 ? workers : Math.min(4, Runtime.getRuntime().availableProcessors());
    }
}
