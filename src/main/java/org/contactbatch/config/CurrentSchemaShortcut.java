package org.contactbatch.config;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.contactbatch.db.SchemaCheck;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.migration.JavaMigration;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.env.RandomValuePropertySource;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * On the command line, Flyway starts only when the schema is not current. Spring Boot makes every
 * bean that uses the database (the {@code JdbcTemplate}s, the job repository) wait for Flyway's
 * beans; this post-processor, which runs after Boot has added those dependencies, makes them wait
 * for one bean instead, {@value #BEAN_NAME}. That bean asks the history table whether it holds
 * exactly the migrations of this build ({@link SchemaCheck}, one query on the pool's first
 * connection); only if not does it create Flyway's beans, which migrate and validate as before —
 * with the same errors when something is wrong.
 *
 * <p>The shortcut is only taken when Flyway is configured as this application configures it:
 * {@code spring.flyway.locations} as in {@code application.yml} and no other {@code spring.flyway.*}
 * setting, one data source, no Flyway customizers (but Spring Boot's own), callbacks, Java
 * migration beans or migration strategy. Otherwise Flyway runs on every start, as it did before.
 */
final class CurrentSchemaShortcut implements BeanFactoryPostProcessor, EnvironmentAware, Ordered {

    static final String BEAN_NAME = "contactBatchSchemaCheck";

    static final String LOCATION = "classpath:db/migration";

    private static final String TABLE = "flyway_schema_history";

    /** PostgreSQL's SQL state for a table that does not exist. */
    private static final String UNDEFINED_TABLE = "42P01";

    private static final Log log = LogFactory.getLog(CurrentSchemaShortcut.class);

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public int getOrder() {
        // after Spring Boot's DependsOnDatabaseInitializationPostProcessor (order 0)
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        String[] flywayBeans = flywayBeans(beanFactory);
        if (flywayBeans.length == 0 || !(beanFactory instanceof BeanDefinitionRegistry registry)
                || !configuredAsShipped(beanFactory)) {
            return;
        }
        Set<String> flyway = Set.of(flywayBeans);
        Set<String> flywayDependsOn = new LinkedHashSet<>();
        for (String name : flywayBeans) {
            String[] dependsOn = beanFactory.getBeanDefinition(name).getDependsOn();
            if (dependsOn != null) {
                flywayDependsOn.addAll(Arrays.asList(dependsOn));
            }
        }
        flywayDependsOn.removeAll(flyway);
        boolean redirected = false;
        for (String name : beanFactory.getBeanDefinitionNames()) {
            if (flyway.contains(name)) {
                continue;
            }
            BeanDefinition definition = beanFactory.getBeanDefinition(name);
            String[] dependsOn = definition.getDependsOn();
            if (dependsOn == null || Arrays.stream(dependsOn).noneMatch(flyway::contains)) {
                continue;
            }
            Set<String> replaced = new LinkedHashSet<>();
            for (String dependency : dependsOn) {
                replaced.add(flyway.contains(dependency) ? BEAN_NAME : dependency);
            }
            definition.setDependsOn(replaced.toArray(String[]::new));
            redirected = true;
        }
        if (!redirected) {
            return;
        }
        // a plain definition (a class and its argument), which Spring AOT can write out at build time
        RootBeanDefinition check = new RootBeanDefinition(Check.class);
        check.getConstructorArgumentValues().addIndexedArgumentValue(0, flywayBeans);
        check.setDependsOn(flywayDependsOn.toArray(String[]::new));
        check.setLazyInit(true);
        registry.registerBeanDefinition(BEAN_NAME, check);
    }

    private static String[] flywayBeans(ConfigurableListableBeanFactory beanFactory) {
        Set<String> names = new LinkedHashSet<>();
        names.addAll(Arrays.asList(beanFactory.getBeanNamesForType(Flyway.class, true, false)));
        names.addAll(Arrays.asList(beanFactory.getBeanNamesForType(FlywayMigrationInitializer.class, true, false)));
        return names.toArray(String[]::new);
    }

    /** Flyway set up as {@code application.yml} ships it, so that the check knows what Flyway would find. */
    private boolean configuredAsShipped(ConfigurableListableBeanFactory beanFactory) {
        for (Class<?> type : List.of(FlywayConfigurationCustomizer.class, FlywayMigrationStrategy.class, Callback.class,
                JavaMigration.class)) {
            for (String name : beanFactory.getBeanNamesForType(type, true, false)) {
                Class<?> beanType = beanFactory.getType(name, false);
                // Spring Boot's own customizers apply spring.flyway.* settings, checked below
                if (beanType == null || !beanType.getName().startsWith("org.springframework.boot.flyway.")) {
                    return notShipped("the bean " + name + " of type " + type.getName());
                }
            }
        }
        if (beanFactory.getBeanNamesForType(DataSource.class, true, false).length != 1) {
            return notShipped("more than one DataSource");
        }
        return settingsAsShipped(environment);
    }

    /**
     * No {@code spring.flyway.*} setting but the shipped locations. Checked when the context is prepared and
     * again by the check itself, since a context the build prepared ahead of time meets its settings only then.
     */
    static boolean settingsAsShipped(Environment environment) {
        if (!LOCATION.equals(environment.getProperty("spring.flyway.locations"))) {
            return notShipped("spring.flyway.locations=" + environment.getProperty("spring.flyway.locations"));
        }
        ConfigurationPropertyName flyway = ConfigurationPropertyName.of("spring.flyway");
        ConfigurationPropertyName locations = ConfigurationPropertyName.of("spring.flyway.locations");
        ConfigurationPropertyName enabled = ConfigurationPropertyName.of("spring.flyway.enabled");
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                if (source.getUnderlyingSource() instanceof RandomValuePropertySource) {
                    continue; // random.* only
                }
                return notShipped("settings that cannot be listed in " + source.getUnderlyingSource());
            }
            Optional<ConfigurationPropertyName> other = iterable.stream().filter(name -> flyway.isAncestorOf(name)
                    && !locations.isAncestorOf(name) && !name.equals(locations) && !name.equals(enabled)).findFirst();
            if (other.isPresent()) {
                return notShipped(other.get().toString());
            }
        }
        return true;
    }

    private static boolean notShipped(String reason) {
        log.debug("Flyway runs at every start: " + reason);
        return false;
    }

    /** Lets Flyway's beans start only when the history table says the schema is not current. */
    static final class Check implements InitializingBean, BeanFactoryAware, EnvironmentAware {

        private ConfigurableListableBeanFactory beanFactory;
        private Environment environment;
        private final String[] flywayBeans;

        Check(String[] flywayBeans) {
            this.flywayBeans = flywayBeans;
        }

        @Override
        public void setBeanFactory(BeanFactory beanFactory) {
            this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
        }

        @Override
        public void setEnvironment(Environment environment) {
            this.environment = environment;
        }

        @Override
        public void afterPropertiesSet() {
            if (!this.environment.getProperty("spring.flyway.enabled", Boolean.class, true)) {
                // Flyway switched off where the context was prepared ahead of time, with Flyway's beans in it
                return;
            }
            if (settingsAsShipped(this.environment) && current()) {
                log.debug("The schema has every migration of this build; Flyway not started");
                return;
            }
            for (String name : this.flywayBeans) {
                this.beanFactory.getBean(name);
            }
        }

        private boolean current() {
            Optional<List<SchemaCheck.Migration>> expected = SchemaCheck.onClasspath(
                    new PathMatchingResourcePatternResolver(this.beanFactory.getBeanClassLoader()), LOCATION);
            if (expected.isEmpty() || expected.get().isEmpty()) {
                return false;
            }
            try (Connection connection = this.beanFactory.getBean(DataSource.class).getConnection()) {
                return SchemaCheck.isCurrent(connection, TABLE, new ArrayList<>(expected.get()));
            }
            catch (SQLException e) {
                if (!UNDEFINED_TABLE.equals(e.getSQLState())) {
                    // the database can't be used: say so now, before any command, not at its first query
                    throw new IllegalStateException("cannot check the database schema: " + e.getMessage(), e);
                }
                // no history table yet: Flyway creates the schema
                log.debug("No schema history yet; Flyway migrates", e);
                return false;
            }
        }
    }
}
