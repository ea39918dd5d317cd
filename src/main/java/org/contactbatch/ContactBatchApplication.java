package org.contactbatch;

import org.contactbatch.cli.ContactBatchCommandLine;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ContactBatchApplication {

    public static void main(String[] args) {
        System.exit(ContactBatchCommandLine.run(ContactBatchApplication.class, args));
    }
}
