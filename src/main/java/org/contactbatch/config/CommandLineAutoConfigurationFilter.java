package org.contactbatch.config;

import java.util.List;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Leaves out, on the command line only, the auto-configurations that only the web console uses: the
 * server and MVC, security, Thymeleaf, Actuator with its health indicators, Micrometer's metrics and
 * observations (the console's {@code /actuator/metrics} is their only reader), and the HTTP message
 * converters and blocking HTTP clients that only MVC would use. Spring Boot would otherwise read
 * and evaluate them (and create their bean post-processors) for every command, though a
 * non-web context uses none of them.
 *
 * <p>The command line keeps the rest, including the reactive {@code WebClient}, its codecs and
 * Jackson for the Constant Contact commands. The console ({@code serve}) keeps everything: the
 * command line is where {@code spring.main.web-application-type} is {@code none}, as
 * {@code application.yml} says; the console sets it to {@code servlet}.
 */
public class CommandLineAutoConfigurationFilter implements AutoConfigurationImportFilter, EnvironmentAware {

    /** Packages, and sub-packages anywhere, whose auto-configurations only the console needs. */
    static final List<String> CONSOLE_ONLY_PACKAGES = List.of(
            "org.springframework.boot.actuate.",
            "org.springframework.boot.health.",
            "org.springframework.boot.micrometer.",
            "org.springframework.boot.security.",
            "org.springframework.boot.thymeleaf.",
            "org.springframework.boot.webmvc.",
            "org.springframework.boot.webflux.",
            "org.springframework.boot.servlet.",
            "org.springframework.boot.tomcat.",
            "org.springframework.boot.web.server.",
            "org.springframework.boot.http.converter.",
            "org.springframework.boot.http.client.autoconfigure.imperative.",
            "org.springframework.boot.http.client.autoconfigure.service.",
            "org.springframework.boot.webclient.autoconfigure.service.");

    static final List<String> CONSOLE_ONLY_SUB_PACKAGES = List.of(".actuate.", ".health.", ".metrics.");

    /** Observations of other features (the WebClient's, Spring Batch's…), which need Micrometer's registry. */
    static final String OBSERVATIONS = "ObservationAutoConfiguration";

    /**
     * Netty's auto-configuration only applies {@code spring.netty.leak-detection}, and creates itself
     * at start-up whether or not beans are lazy, loading Netty for every command; the WebClient's
     * connector needs none of it. Kept when the setting is there.
     */
    static final String NETTY = "org.springframework.boot.netty.autoconfigure.NettyAutoConfiguration";

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata autoConfigurationMetadata) {
        boolean commandLine = environment != null && isCommandLine(environment);
        boolean[] matches = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < matches.length; i++) {
            String candidate = autoConfigurationClasses[i];
            matches[i] = !commandLine || !(consoleOnly(candidate)
                    || NETTY.equals(candidate) && !environment.containsProperty("spring.netty.leak-detection"));
        }
        return matches;
    }

    /** Whether this environment is the command line's: no web application. */
    static boolean isCommandLine(Environment environment) {
        String type = environment.getProperty("spring.main.web-application-type");
        return type != null && type.trim().equalsIgnoreCase("none");
    }

    static boolean consoleOnly(String autoConfiguration) {
        if (autoConfiguration == null) {
            return false;
        }
        return CONSOLE_ONLY_PACKAGES.stream().anyMatch(autoConfiguration::startsWith)
                || CONSOLE_ONLY_SUB_PACKAGES.stream().anyMatch(autoConfiguration::contains)
                || autoConfiguration.endsWith(OBSERVATIONS);
    }
}
