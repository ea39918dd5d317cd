package org.contactbatch.web;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.contactbatch.config.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import static org.contactbatch.config.SettingChecks.between;
import static org.contactbatch.config.SettingChecks.notBlank;
import static org.contactbatch.config.SettingChecks.required;

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
@ConfigurationProperties("contact-batch.web")
public record WebProperties(
        @DefaultValue("8080") int port,
        @DefaultValue("uploads") Path uploadsDir,
        @DefaultValue("1GB") DataSize maxUploadSize,
        @DefaultValue("2") int jobThreads,
        @DefaultValue("15s") Duration startWait,
        @DefaultValue List<User> users) {

    public WebProperties {
        between("port", port, 0, 65535);
        required("uploads-dir", uploadsDir);
        required("max-upload-size", maxUploadSize);
        between("job-threads", jobThreads, 1, 16);
        required("start-wait", startWait);
        required("users", users);
    }

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
    public record User(String name, String password, Role role) {

        public User {
            notBlank("name", name);
            if (password == null || !password.matches("\\{(bcrypt|noop)\\}.+")) {
                throw new InvalidSettingException("password", "must start with {bcrypt} or {noop}");
            }
            required("role", role);
        }

        @Override
        public String toString() {
            // never print the password hash in logs or binding errors
            return "User[name=" + name + ", role=" + role + "]";
        }
    }
}
