package org.contactbatch.db;

import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads a query's rows a few thousand at a time. PostgreSQL's driver otherwise holds the whole result in memory
 * before the first row is seen — a million ids or report lines in a 256 MB heap — and it streams only inside a
 * transaction, with a fetch size.
 */
public final class Cursors {

    private static final int FETCH_SIZE = 2000;

    private Cursors() {
    }

    public static void forEach(DataSource dataSource, String sql, Map<String, ?> parameters, RowCallbackHandler row) {
        new TransactionTemplate(new DataSourceTransactionManager(dataSource)).executeWithoutResult(tx -> {
            NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(dataSource);
            jdbc.getJdbcTemplate().setFetchSize(FETCH_SIZE);
            jdbc.query(sql, parameters, row);
        });
    }
}
