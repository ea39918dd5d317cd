package org.contactbatch.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;

/**
 * Tells a running job execution from one whose process died. While a job runs, its process holds
 * a PostgreSQL advisory lock named after the execution, on a connection of its own; the database
 * releases it the moment that process or its connection dies. So an execution the repository
 * still calls STARTED, whose lock anyone can take, was killed and may be restarted, on any host.
 */
@Component
public class JobLiveness implements JobExecutionListener {

    /** High bits of the lock key, so our keys don't meet another application's. */
    private static final long NAMESPACE = 0x4342L << 48;

    private static final Log log = LogFactory.getLog(JobLiveness.class);

    private final DataSource dataSource;
    private final Map<Long, Connection> held = new ConcurrentHashMap<>();

    public JobLiveness(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void beforeJob(JobExecution execution) {
        try {
            Connection connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            if (!tryLock(connection, execution.getId())) {
                connection.close();
                throw new IllegalStateException("execution " + execution.getId() + " is already running elsewhere");
            }
            held.put(execution.getId(), connection);
            log.info(execution.getJobInstance().getJobName() + " execution " + execution.getId() + " started in process "
                    + ProcessHandle.current().pid());
        }
        catch (SQLException e) {
            throw new DataAccessResourceFailureException("could not take the job's liveness lock", e);
        }
    }

    @Override
    public void afterJob(JobExecution execution) {
        Connection connection = held.remove(execution.getId());
        if (connection == null) {
            return;
        }
        try (connection; PreparedStatement unlock = connection.prepareStatement("select pg_advisory_unlock(?)")) {
            unlock.setLong(1, key(execution.getId()));
            unlock.execute();
        }
        catch (SQLException e) {
            // closing the connection below releases the lock as well
        }
    }

    /** True when some live process holds the execution's lock. */
    public boolean isAlive(long executionId) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            if (tryLock(connection, executionId)) {
                try (PreparedStatement unlock = connection.prepareStatement("select pg_advisory_unlock(?)")) {
                    unlock.setLong(1, key(executionId));
                    unlock.execute();
                }
                return false;
            }
            return true;
        }
        catch (SQLException e) {
            throw new DataAccessResourceFailureException("could not check the job's liveness lock", e);
        }
    }

    private static boolean tryLock(Connection connection, long executionId) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
            lock.setLong(1, key(executionId));
            try (ResultSet rs = lock.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static long key(long executionId) {
        return NAMESPACE | executionId;
    }
}
