package org.contactbatch.cli;

import java.net.ConnectException;
import java.sql.SQLException;
import java.util.function.Function;

import org.contactbatch.config.InvalidSettingException;
import org.contactbatch.db.DataHome;
import org.contactbatch.db.DatabaseUnavailableException;
import org.springframework.boot.context.properties.bind.BindException;

/**
 * The application could not start, before any job ran: one line saying what and what to do, for the
 * terminal (exit 2). Spring Boot has written the whole story to the log already.
 */
final class StartupFailure extends RuntimeException {

    private StartupFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** The failure as a person needs it, from the exception and the settings in force. */
    static StartupFailure of(Throwable failure, Function<String, String> settings) {
        String log = settings.apply("contact-batch.log-file");
        if (log == null) {
            log = DataHome.resolve(settings).log().toString();
        }
        String details = " (details in " + log + ")";
        DatabaseUnavailableException database = find(failure, DatabaseUnavailableException.class);
        if (database != null) {
            return new StartupFailure(firstLine(database.getMessage()), failure);
        }
        BindException binding = find(failure, BindException.class);
        if (binding != null) {
            InvalidSettingException invalid = find(binding, InvalidSettingException.class);
            if (invalid != null) {
                return new StartupFailure("the setting " + binding.getName() + "." + invalid.setting() + " is not valid: "
                        + invalid.problem() + details, failure);
            }
            Throwable reason = binding.getCause() != null ? binding.getCause() : binding;
            return new StartupFailure("the setting " + binding.getName() + " is not valid: "
                    + firstLine(reason.getMessage()) + details, failure);
        }
        Throwable sql = find(failure, SQLException.class);
        if (sql == null) {
            sql = find(failure, ConnectException.class);
        }
        if (sql != null) {
            return new StartupFailure("cannot use the database at " + settings.apply("spring.datasource.url") + ": "
                    + firstLine(sql.getMessage()) + "; check SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and "
                    + "SPRING_DATASOURCE_PASSWORD, or unset them to use the embedded database" + details, failure);
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new StartupFailure("the application could not start: " + firstLine(root.getMessage()) + details, failure);
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String firstLine(String message) {
        return message == null ? "no message" : message.lines().findFirst().orElse("").trim();
    }
}
