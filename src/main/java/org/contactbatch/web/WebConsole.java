package org.contactbatch.web;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * The application as the web console: the same application as the command line, started as a
 * servlet web application, listening on {@code contact-batch.web.port} (unless {@code server.port}
 * itself is set). {@code serve} starts its context this way, so the console and the profiles'
 * scheduler run together.
 */
public final class WebConsole {

    private static final String WEB_APPLICATION_TYPE = "spring.main.web-application-type";

    private WebConsole() {
    }

    /**
     * Runs {@code firstUse} — the first use of a command's lazily started context — so that the
     * context starts as a servlet web application: {@code application.yml} says "none" for the
     * command line, and a system property outranks it while the context starts. A context that was
     * started before (as in tests, which hand the command line their own) stays what it is.
     */
    public static synchronized <T> T startingAsWebApplication(Supplier<T> firstUse) {
        String previous = System.getProperty(WEB_APPLICATION_TYPE);
        System.setProperty(WEB_APPLICATION_TYPE, "servlet");
        try {
            return firstUse.get();
        }
        finally {
            if (previous == null) {
                System.clearProperty(WEB_APPLICATION_TYPE);
            }
            else {
                System.setProperty(WEB_APPLICATION_TYPE, previous);
            }
        }
    }

    /** The console's address, e.g. {@code http://localhost:8080/}; null when the context serves no web. */
    public static String address(Environment environment) {
        String port = environment.getProperty("local.server.port");
        return port == null ? null : "http://localhost:" + port + "/";
    }

    /**
     * Starts the application as the console and returns its running context.
     *
     * @param port     the port, overriding {@code contact-batch.web.port}; null to keep the setting
     * @param settings more settings as Spring arguments ({@code --name=value}), above every other source
     */
    public static ConfigurableApplicationContext start(Class<?> application, Integer port, String... settings) {
        List<String> args = new ArrayList<>();
        args.add("--" + WEB_APPLICATION_TYPE + "=servlet");
        if (port != null) {
            args.add("--contact-batch.web.port=" + port);
        }
        args.addAll(List.of(settings));
        return new SpringApplicationBuilder(application).web(WebApplicationType.SERVLET).run(args.toArray(String[]::new));
    }
}
