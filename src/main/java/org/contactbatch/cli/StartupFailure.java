package org.contactbatch.cli;

import java.net.ConnectException;
import java.sql.SQLException;
import java.util.function.Function;

import org.contactbatch.db.DataHome;
import org.contactbatch.db.DatabaseUnavailableException;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

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
            BindValidationException validation = find(binding, BindValidationException.class);
            if (validation != null && !validation.getValidationErrors().getAllErrors().isEmpty()) {
                ObjectError error = validation.getValidationErrors().getAllErrors().get(0);
                String name = validation.getValidationErrors().getName()
                        + (error instanceof FieldError field ? "." + dashed(field.getField()) : "");
                return new StartupFailure("the setting " + name + " is not valid: " + error.getDefaultMessage()
                        + (error instanceof FieldError field ? " (it is " + field.getRejectedValue() + ")" : "") + details, failure);
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

    /** {@code chunkSize} as the setting is written: {@code chunk-size}. */
    private static String dashed(String field) {
        return field.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String firstLine(String message) {
        return message == null ? "no message" : message.lines().findFirst().orElse("").trim();
    }
}
