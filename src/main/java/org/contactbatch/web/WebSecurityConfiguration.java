package org.contactbatch.web;

import java.util.List;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Who may do what in the console. Everything needs a login (but the pages the consent emails link to, whose
 * answer is a POST without a CSRF token: its signed token is what allows it);
 * reviewers read and download, admins
 * also upload, start, confirm, stop, restart and revert. Every change is a POST with a CSRF token
 * (Spring Security's default, which Thymeleaf forms carry on their own). Only in the web console:
 * the command line has no users and starts no server.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableWebSecurity
@EnableMethodSecurity
public class WebSecurityConfiguration {

    /** The links of the consent emails: opened (GET, the question) and answered (POST) without a login. */
    private static final String[] CONSENT_LINKS = {"/consent/confirm", "/consent/decline"};

    @Bean
    SecurityFilterChain consoleSecurity(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/login", "/css/**", "/favicon.ico", "/error").permitAll()
                        // for load balancers and monitors; details only for people logged in
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        // the links of the consent emails: the people who get them have no login
                        .requestMatchers(HttpMethod.GET, CONSENT_LINKS).permitAll()
                        .requestMatchers(HttpMethod.POST, CONSENT_LINKS).permitAll()
                        .requestMatchers(HttpMethod.GET, "/upload").hasRole(WebProperties.Role.ADMIN.name())
                        .requestMatchers(HttpMethod.GET, "/**").hasRole(WebProperties.Role.REVIEWER.name())
                        .requestMatchers(HttpMethod.HEAD, "/**").hasRole(WebProperties.Role.REVIEWER.name())
                        // every other method changes something
                        .anyRequest().hasRole(WebProperties.Role.ADMIN.name()))
                // the answer's POST carries a signed token, the capability itself: no session, so no CSRF token
                .csrf(csrf -> csrf.ignoringRequestMatchers(
                        PathPatternRequestMatcher.pathPattern(HttpMethod.POST, CONSENT_LINKS[0]),
                        PathPatternRequestMatcher.pathPattern(HttpMethod.POST, CONSENT_LINKS[1])))
                .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/executions", false).permitAll())
                .logout(logout -> logout.logoutSuccessUrl("/login?logout").permitAll())
                .exceptionHandling(errors -> errors.accessDeniedHandler((request, response, denied) ->
                        response.sendError(HttpServletResponse.SC_FORBIDDEN)));
        return http.build();
    }

    /** An admin may do all a reviewer may. */
    @Bean
    static RoleHierarchy consoleRoles() {
        return RoleHierarchyImpl.withDefaultRolePrefix()
                .role(WebProperties.Role.ADMIN.name()).implies(WebProperties.Role.REVIEWER.name())
                .build();
    }

    @Bean
    UserDetailsService consoleUsers(WebProperties properties, PasswordEncoder passwordEncoder) {
        if (properties.users().isEmpty()) {
            throw new IllegalStateException("The web console has no users: configure contact-batch.web.users "
                    + "(name, password as {bcrypt}… or {noop}…, role REVIEWER or ADMIN)");
        }
        List<UserDetails> users = properties.users().stream()
                .map(user -> User.withUsername(user.name())
                        .password(user.password())
                        .roles(user.role().name())
                        .build())
                .map(UserDetails.class::cast)
                .toList();
        return new InMemoryUserDetailsManager(users);
    }

    /** Reads {bcrypt} and {noop} passwords (and Spring Security's other prefixes). */
    @Bean
    PasswordEncoder consolePasswordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /**
     * A request the firewall refuses (an encoded slash, {@code ..}, a semicolon in the path: the
     * shapes of a forged download path) gets a bare 404, like any address that names nothing.
     */
    @Bean
    RequestRejectedHandler consoleRequestRejectedHandler() {
        return new HttpStatusRequestRejectedHandler(HttpServletResponse.SC_NOT_FOUND);
    }
}
