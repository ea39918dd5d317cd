package org.contactbatch.web;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the web console that {@code serve} starts (prefix {@code contact-batch.web}).
 *
 * @param port        the HTTP port of the console (and of {@code /actuator})
 * @param uploadsDir  where files uploaded through the console are kept; jobs read them from there,
 *                    also when they are restarted, so keep them
 * @param jobThreads  jobs started from the console that run at the same time; more wait in line
 * @param maxUploadSize the largest file the upload page takes
 * @param startWait   how long a request that starts a job waits for the job's execution to exist
 *                    before it answers anyway
 * @param users       who may log in; none by default, so a console without users refuses to start
 */
@Validated
@ConfigurationProperties("contact-batch.web")
public record WebProperties(
        @Min(0) @Max(65535) @DefaultValue("8080") int port,
        @NotNull @DefaultValue("uploads") Path uploadsDir,
        @NotNull @DefaultValue("1GB") DataSize maxUploadSize,
        @Min(1) @Max(16) @DefaultValue("2") int jobThreads,
        @NotNull @DefaultValue("15s") Duration startWait,
        @Valid @NotNull @DefaultValue List<User> users) {

    /** What a user may do: reviewers read and download; admins also change things. */
    public enum Role {
        REVIEWER, ADMIN
    }

    /**
     * One user of the console.
     *
     * @param name     the login name
     * @param password {@code {bcrypt}…} (e.g. from {@code htpasswd -bnBC 10 "" secret | tr -d ':\n'}) or,
     *                 for trying it out only, {@code {noop}…}
     * @param role     REVIEWER or ADMIN
     */
    public record User(
            @NotBlank String name,
            @NotNull @Pattern(regexp = "\\{(bcrypt|noop)\\}.+",
                    message = "must start with {bcrypt} or {noop}") String password,
            @NotNull Role role) {

        @Override
        public String toString() {
            // never print the password hash in logs or binding errors
            return "User[name=" + name + ", role=" + role + "]";
        }
    }
}
