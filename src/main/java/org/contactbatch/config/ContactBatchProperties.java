package org.contactbatch.config;

import java.nio.file.Path;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

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
@Validated
@ConfigurationProperties("contact-batch")
public record ContactBatchProperties(
        @NotNull @DefaultValue("reports") Path reportsDir,
        @NotNull @DefaultValue("jobs") Path jobsDir,
        @NotBlank @DefaultValue("US") String defaultPhoneRegion,
        @Min(1) @DefaultValue("5000") int chunkSize,
        @Min(1) @DefaultValue("50000") long partitionMinRows,
        @Min(0) @DefaultValue("0") int workers) {

    /** The number of partitions that run side by side. */
    public int parallelism() {
        return workers > 0 ? workers : Math.min(4, Runtime.getRuntime().availableProcessors());
    }
}
