package org.contactbatch.cli;

import java.net.URL;

import org.contactbatch.ContactBatchApplication;
import org.springframework.boot.SpringApplication;

/**
 * The command line's context prepared at build time (Spring AOT, the build's {@code process-aot}): its
 * configuration classes parsed and its conditions evaluated once, for a context with no web application
 * and lazy beans, so that a command does not spend most of its start doing that again. The build runs
 * {@link #main}; {@link ContactBatchCommandLine} then starts from the generated
 * {@code CommandLineAot__ApplicationContextInitializer} when {@link #prepared()} says it may.
 *
 * <p>Conditions are fixed by the build: a setting that switches an auto-configuration on or off takes
 * effect on the command line with {@code -Dspring.aot.enabled=false}. Every other setting is read at run
 * time as before.
 */
public final class CommandLineAot {

    private static final String INITIALIZER = CommandLineAot.class.getName() + "__ApplicationContextInitializer";

    /** Spring's switch for starting from what the build generated ({@code AotDetector}). */
    private static final String AOT_ENABLED = "spring.aot.enabled";

    private CommandLineAot() {
    }

    /**
     * Whether this command starts from the prepared context, telling Spring so if it does: when the program
     * runs from its jar (where the generated classes are always those of the code beside them) and the build
     * generated them; not for the console ({@code serve}, a web application) nor with eager beans
     * ({@code -Dspring.main.lazy-initialization=false}), which the build did not prepare; never with
     * {@code -Dspring.aot.enabled=false}. Classes on a plain class path (the tests, an IDE) may be older than
     * the code and are not used.
     */
    static boolean prepared() {
        String setting = System.getProperty(AOT_ENABLED);
        String webApplication = System.getProperty("spring.main.web-application-type");
        if ("false".equalsIgnoreCase(setting) || webApplication != null && !webApplication.equalsIgnoreCase("none")
                || "false".equalsIgnoreCase(System.getProperty("spring.main.lazy-initialization"))) {
            return false;
        }
        if (!"true".equalsIgnoreCase(setting)) {
            URL self = CommandLineAot.class.getResource(CommandLineAot.class.getSimpleName() + ".class");
            if (self == null || "file".equals(self.getProtocol())
                    || CommandLineAot.class.getResource("/" + INITIALIZER.replace('.', '/') + ".class") == null) {
                return false;
            }
            System.setProperty(AOT_ENABLED, "true");
        }
        return true;
    }

    /** The build's AOT run: the command line's context, refreshed for processing, never for use. */
    public static void main(String[] args) {
        SpringApplication spring = new SpringApplication(ContactBatchApplication.class);
        spring.setMainApplicationClass(CommandLineAot.class);
        spring.run(args);
    }
}
