package org.contactbatch;

import org.contactbatch.cli.ContactBatchCommandLine;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication(proxyBeanMethods = false)
@ConfigurationPropertiesScan
public class ContactBatchApplication {

    public static void main(String[] args) {
        // picocli looks for Groovy's Closure class when it starts; there is no Groovy here, and a
        // class that is not there is looked for in every jar of the application
        System.setProperty("picocli.disable.closures", "true");
        if (args.length == 0 || !args[0].equals("serve")) {
            // Spring Boot warms up Tomcat, MVC's converters, Jackson and Bean Validation on a second
            // thread, and start-up waits for it at the end; a command uses none of them, and on two
            // cores that thread takes its time from the command's own start-up
            System.setProperty("spring.backgroundpreinitializer.ignore",
                    System.getProperty("spring.backgroundpreinitializer.ignore", "true"));
        }
        System.exit(ContactBatchCommandLine.run(ContactBatchApplication.class, args));
    }
}
