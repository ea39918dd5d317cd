package org.contactbatch;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class ContactBatchApplication {
    public static void main(String[] args) {
        SpringApplication.run(ContactBatchApplication.class, args);
    }
}
