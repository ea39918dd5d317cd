package org.contactbatch;

import java.nio.file.Path;

import org.contactbatch.cli.ContactBatchCommandLine;
import org.contactbatch.launch.WarmClient;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication(proxyBeanMethods = false)
@ConfigurationPropertiesScan
public class ContactBatchApplication {

    public static void main(String[] args) {
        String warm = System.getProperty(WarmClient.SOCKET_PROPERTY, "");
        if (!warm.isEmpty()) {
            Integer code = WarmClient.run(Path.of(warm), args);
            if (code != null) {
                System.exit(code);
            }
        }
        System.exit(command(args));
    }

    /** Runs one command line in this process and returns its exit code. */
    public static int command(String[] args) {
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
        return ContactBatchCommandLine.run(ContactBatchApplication.class, args);
    }
}
