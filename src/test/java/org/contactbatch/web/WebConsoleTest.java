package org.contactbatch.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole application as {@code serve} runs it: a servlet web app on a random port, with a real
 * PostgreSQL, an admin and a reviewer. One context for every web test class.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.main.web-application-type=servlet",
        "contact-batch.web.users[0].name=" + WebConsoleTest.ADMIN,
        "contact-batch.web.users[0].password={noop}" + WebConsoleTest.ADMIN_PASSWORD,
        "contact-batch.web.users[0].role=ADMIN",
        "contact-batch.web.users[1].name=" + WebConsoleTest.REVIEWER,
        // a real bcrypt hash, as people configure it (of "reviewer-secret")
        "contact-batch.web.users[1].password=" + WebConsoleTest.REVIEWER_HASH,
        "contact-batch.web.users[1].role=REVIEWER",
        "contact-batch.web.uploads-dir=${contact-batch.reports-dir:target}/../test-uploads",
        // the tests send consent reminders when they mean to, not at 9:00
        "contact-batch.consent.remind-schedule=-"})
public @interface WebConsoleTest {

    String ADMIN = "ann.admin";
    String ADMIN_PASSWORD = "admin-secret";
    String REVIEWER = "rick.reviewer";
    String REVIEWER_PASSWORD = "reviewer-secret";
    String REVIEWER_HASH = "{bcrypt}$2a$10$DKjGJ/4TYrQseAY.oyok6.clVfVUJiltLgz28B4C2LeyikYKD8z7a";
}
