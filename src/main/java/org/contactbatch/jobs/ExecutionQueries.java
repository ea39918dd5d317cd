package org.contactbatch.jobs;

import java.time.LocalDateTime;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Questions about job executions that Spring Batch's own API answers slowly or not at all, straight
 * from its tables, for the command line and the console alike.
 */
@Repository
public class ExecutionQueries {

    /** One execution in a list, before its counts. */
    public record Line(long id, long instanceId, String job, String status, LocalDateTime created,
            LocalDateTime started, LocalDateTime ended, String by) {
    }

    private final JdbcClient jdbc;

    public ExecutionQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Executions newest first.
     *
     * @param job    a job name, or empty for all
     * @param status a BatchStatus name, or empty for all
     */
    public List<Line> find(String job, String status, int offset, int limit) {
        return jdbc.sql("""
                select e.job_execution_id, i.job_instance_id, i.job_name, e.status, e.create_time, e.start_time,
                    e.end_time,
                    (select p.parameter_value from batch_job_execution_params p
                     where p.job_execution_id = e.job_execution_id and p.parameter_name = 'by' limit 1)
                from batch_job_execution e join batch_job_instance i on i.job_instance_id = e.job_instance_id
                where (:job = '' or i.job_name = :job) and (:status = '' or e.status = :status)
                order by e.job_execution_id desc
                offset :offset limit :limit""")
                .param("job", job).param("status", status).param("offset", offset).param("limit", limit)
                .query((rs, n) -> new Line(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getObject(5, LocalDateTime.class), rs.getObject(6, LocalDateTime.class),
                        rs.getObject(7, LocalDateTime.class), rs.getString(8)))
                .list();
    }

    /**
     * Whether the execution exists. Ask before {@code JobRepository.getJobExecution}: in Spring Batch
     * 6.0.6 that throws EmptyResultDataAccessException for an unknown id instead of returning null.
     */
    public boolean exists(long executionId) {
        return jdbc.sql("select count(*) from batch_job_execution where job_execution_id = :id")
                .param("id", executionId).query(Long.class).single() > 0;
    }

    /** The id of the job's newest execution, 0 when it never ran. */
    public long newestExecution(String job) {
        return jdbc.sql("""
                select coalesce(max(e.job_execution_id), 0) from batch_job_execution e
                join batch_job_instance i on i.job_instance_id = e.job_instance_id where i.job_name = :job""")
                .param("job", job).query(Long.class).single();
    }

    /** The jobs that ran at least once, for the filter. */
    public List<String> jobNames() {
        return jdbc.sql("select distinct job_name from batch_job_instance order by job_name").query(String.class).list();
    }

    /** The latest execution of a job instance, e.g. of the prepare whose instance is a re-import. */
    public java.util.Optional<Long> lastExecutionOfInstance(String job, long instanceId) {
        return jdbc.sql("""
                select max(e.job_execution_id) from batch_job_execution e
                join batch_job_instance i on i.job_instance_id = e.job_instance_id
                where i.job_name = :job and i.job_instance_id = :id""")
                .param("job", job).param("id", instanceId)
                .query(Long.class).optional();
    }

    /** The latest execution of a job that worked on an import (start and revert have it as a parameter). */
    public java.util.Optional<Long> lastExecutionForImport(String job, long importId) {
        return jdbc.sql("""
                select max(e.job_execution_id) from batch_job_execution e
                join batch_job_instance i on i.job_instance_id = e.job_instance_id
                where i.job_name = :job and exists (
                    select 1 from batch_job_execution_params p where p.job_execution_id = e.job_execution_id
                      and p.parameter_name = 'importId' and p.parameter_value = cast(:id as text))""")
                .param("job", job).param("id", importId)
                .query(Long.class).optional();
    }
}
