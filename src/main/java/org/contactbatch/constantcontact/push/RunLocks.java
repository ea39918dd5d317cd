package org.contactbatch.constantcontact.push;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.contactbatch.constantcontact.SetupException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;

/**
 * One run at a time per profile (or managed list), across every process on the database: a PostgreSQL
 * advisory lock held on a connection of its own for as long as the run lasts. The database lets go of it
 * the moment the process dies, so a run killed with {@code kill -9} can be restarted at once.
 */
@Component
public class RunLocks {

    /** High bits of the key, apart from the job liveness locks' ones. */
    private static final long NAMESPACE = 0x4343L << 48;

    private final DataSource dataSource;

    public RunLocks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Another run of the same thing is in progress. */
    public static class RunInProgressException extends SetupException {
        public RunInProgressException(String name) {
            super("another Constant Contact run of " + name + " is in progress (in this or another process); "
                    + "wait for it to finish");
        }
    }

    /** A held lock; closing it lets go. */
    public static final class Held implements AutoCloseable {
        private final Connection connection;
        private final long key;

        private Held(Connection connection, long key) {
            this.connection = connection;
            this.key = key;
        }

        @Override
        public void close() {
            // a pooled connection outlives close(): unlock explicitly before handing it back
            try (connection; PreparedStatement unlock = connection.prepareStatement("select pg_advisory_unlock(?)")) {
                unlock.setLong(1, key);
                unlock.execute();
            }
            catch (SQLException ignored) {
                // the pool drops a broken connection, and its session with the lock
            }
        }
    }

    public Held acquire(String name) {
        long key = NAMESPACE | (name.hashCode() & 0xFFFFFFFFL);
        try {
            Connection connection = dataSource.getConnection();
            boolean locked;
            try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
                connection.setAutoCommit(true);
                lock.setLong(1, key);
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    locked = rs.getBoolean(1);
                }
            }
            if (!locked) {
                connection.close();
                throw new RunInProgressException(name);
            }
            return new Held(connection, key);
        }
        catch (SQLException e) {
            throw new DataAccessResourceFailureException("could not take the run lock", e);
        }
    }
}
