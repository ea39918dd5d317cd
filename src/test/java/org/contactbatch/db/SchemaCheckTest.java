package org.contactbatch.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import javax.sql.DataSource;

import org.contactbatch.support.ContactBatchTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The one-query check that lets the command line skip Flyway agrees with what Flyway recorded. */
@ContactBatchTest
class SchemaCheckTest {

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc; // the schema is migrated once this exists

    private static List<SchemaCheck.Migration> shipped() {
        return SchemaCheck.onClasspath(new PathMatchingResourcePatternResolver(), "classpath:db/migration").orElseThrow();
    }

    @Test
    void findsTheShippedMigrationsWithFlywaysChecksums() {
        List<SchemaCheck.Migration> shipped = shipped();
        assertThat(shipped).extracting(SchemaCheck.Migration::script)
                .contains("db.migration.V1__Spring_Batch_Repository", "V2__Contacts.sql");
        // Flyway computed the recorded checksums itself
        List<Integer> recorded = jdbc.sql("select checksum from flyway_schema_history where type = 'SQL' order by installed_rank")
                .query(Integer.class).list();
        assertThat(shipped.stream().filter(m -> m.type().equals("SQL")).map(SchemaCheck.Migration::checksum).toList())
                .containsExactlyInAnyOrderElementsOf(recorded);
    }

    @Test
    void theMigratedSchemaIsCurrent() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            assertThat(SchemaCheck.isCurrent(connection, "flyway_schema_history", shipped())).isTrue();
        }
    }

    @Test
    void anyDifferenceLeavesItToFlyway() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            String copy = "create temporary table h as select * from flyway_schema_history";
            statement.execute(copy);
            try {
                statement.execute("update h set checksum = checksum + 1 where version = '2'");
                assertThat(SchemaCheck.isCurrent(connection, "h", shipped())).as("edited script").isFalse();
                statement.execute("drop table h");

                statement.execute(copy);
                statement.execute("delete from h where version = '5'");
                assertThat(SchemaCheck.isCurrent(connection, "h", shipped())).as("pending migration").isFalse();
                statement.execute("drop table h");

                statement.execute(copy);
                statement.execute("update h set success = false where version = '5'");
                assertThat(SchemaCheck.isCurrent(connection, "h", shipped())).as("failed migration").isFalse();
                statement.execute("drop table h");

                statement.execute(copy);
                statement.execute("insert into h select installed_rank + 100, '99', 'Later', type, 'V99__Later.sql', 1,"
                        + " installed_by, installed_on, execution_time, success from h where version = '2'");
                assertThat(SchemaCheck.isCurrent(connection, "h", shipped())).as("unknown newer migration").isFalse();
            }
            finally {
                statement.execute("drop table if exists h");
            }
        }
    }

    @Test
    void versionsCompareAsFlywayComparesThem() {
        assertThat(SchemaCheck.version("1.0")).isEqualTo(SchemaCheck.version("1"));
        assertThat(SchemaCheck.version("2.1")).isNotEqualTo(SchemaCheck.version("2"));
    }
}
