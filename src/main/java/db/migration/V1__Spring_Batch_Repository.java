package db.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * Creates Spring Batch's job repository tables from the DDL shipped inside spring-batch-core,
 * so the schema always matches the Batch version on the classpath and Flyway stays the one
 * owner of the database schema.
 */
public class V1__Spring_Batch_Repository extends BaseJavaMigration {

    @Override
    public void migrate(Context context) {
        var populator = new ResourceDatabasePopulator(
                new ClassPathResource("org/springframework/batch/core/schema-postgresql.sql"));
        populator.execute(new SingleConnectionDataSource(context.getConnection(), true));
    }
}
