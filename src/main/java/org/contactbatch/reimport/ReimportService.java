package org.contactbatch.reimport;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.contactbatch.imports.ImportKind;
import org.contactbatch.imports.ImportStatus;
import org.contactbatch.jobs.ExecutionQueries;
import org.contactbatch.jobs.JobRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Re-imports by ID for the command line and the console alike: what there is to review, and what
 * may run now. The rules of when an import may start or be reverted live here only, so both ask
 * the same question and give the same answer in the same words. It says what to run; each adapter
 * runs it its own way (the command line waits for it, the console does not).
 */
@Service
public class ReimportService {

    /** A re-import, and the latest execution of each of its three jobs (null where it never ran). */
    public record Reimport(long id, String fileName, String createdBy, OffsetDateTime createdAt, String tag,
            ImportStatus status, long beforeImages, Long prepareExecution, Long startExecution,
            Long revertExecution) {
    }

    /** One changed field, as the changes report lists it. */
    public record Change(long line, long contactId, String field, String oldValue, String newValue) {
    }

    /** One problem of a row, as the failed-rows and warnings reports list it. */
    public record Issue(long line, String column, String code, String message) {
    }

    /** What was asked can't be done now, said for people. */
    public static class Refused extends IllegalArgumentException {
        Refused(String message) {
            super(message);
        }
    }

    private final JdbcClient jdbc;
    private final ExecutionQueries executions;

    public ReimportService(JdbcClient jdbc, ExecutionQueries executions) {
        this.jdbc = jdbc;
        this.executions = executions;
    }

    /** Stage and check an edited export; a sheet a re-import can't start from is refused before anything runs. */
    public JobRequest prepare(ReimportOptions options) {
        ReimportPlan.of(options);
        return new JobRequest(ReimportOptions.PREPARE_JOB, options.toJobParameters());
    }

    /** Apply a prepared re-import: only a prepared one, and only once. */
    public JobRequest start(long importId, String by, boolean skipWarnings) {
        ImportStatus status = status(importId);
        if (status == ImportStatus.APPLIED || status == ImportStatus.REVERTED) {
            throw new Refused("re-import " + importId + " already ran (it is " + status + "); an import starts once");
        }
        if (status != ImportStatus.PREPARED) {
            throw new Refused("re-import " + importId + " is not prepared yet (it is " + status + ")");
        }
        return new JobRequest(ReimportOptions.START_JOB, ReimportOptions.importParameters(importId, by, skipWarnings));
    }

    /** Undo a started re-import: only an applied one, and only once. */
    public JobRequest revert(long importId, String by) {
        ImportStatus status = status(importId);
        if (status == ImportStatus.REVERTED) {
            throw new Refused("re-import " + importId + " was already reverted");
        }
        if (status != ImportStatus.APPLIED) {
            throw new Refused("re-import " + importId + " has not been started (it is " + status
                    + "); there is nothing to revert");
        }
        return new JobRequest(ReimportOptions.REVERT_JOB, ReimportOptions.importParameters(importId, by, false));
    }

    /** The re-imports that got through prepare, newest first. */
    public List<Reimport> list(int limit) {
        return jdbc.sql("""
                select id from import_batch where kind = :kind and status <> :staging
                order by id desc limit :limit""")
                .param("kind", ImportKind.REIMPORT.value()).param("staging", ImportStatus.STAGING.value())
                .param("limit", limit)
                .query(Long.class).list()
                .stream().map(id -> find(id).orElseThrow()).toList();
    }

    public Optional<Reimport> find(long importId) {
        return jdbc.sql("""
                select file_name, created_by, created_at, tag, status,
                    (select count(*) from contact_before_image b where b.import_id = i.id) as images
                from import_batch i where id = :id and kind = :kind""")
                .param("id", importId).param("kind", ImportKind.REIMPORT.value())
                .query((rs, n) -> new Reimport(importId, rs.getString(1), rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class), rs.getString(4), ImportStatus.of(rs.getString(5)),
                        rs.getLong(6),
                        executions.lastExecutionOfInstance(ReimportOptions.PREPARE_JOB, importId).orElse(null),
                        executions.lastExecutionForImport(ReimportOptions.START_JOB, importId).orElse(null),
                        executions.lastExecutionForImport(ReimportOptions.REVERT_JOB, importId).orElse(null)))
                .optional();
    }

    /** The first changes of the import, in the order of the changes report. */
    public List<Change> changes(long importId, int limit) {
        return jdbc.sql("""
                select line, contact_id, field, old_value, new_value from import_change
                where import_id = :id order by line, field limit :limit""")
                .param("id", importId).param("limit", limit)
                .query((rs, n) -> new Change(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)))
                .list();
    }

    /** The first errors ({@code 'E'}) or warnings ({@code 'W'}) of the import, by line. */
    public List<Issue> issues(long importId, char severity, int limit) {
        return jdbc.sql("""
                select line, column_name, code, message from import_issue
                where import_id = :id and severity = :severity order by line, code limit :limit""")
                .param("id", importId).param("severity", String.valueOf(severity)).param("limit", limit)
                .query((rs, n) -> new Issue(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list();
    }

    private ImportStatus status(long importId) {
        return jdbc.sql("select status from import_batch where id = :id and kind = :kind")
                .param("id", importId).param("kind", ImportKind.REIMPORT.value())
                .query(String.class).optional().map(ImportStatus::of)
                .orElseThrow(() -> new Refused("there is no re-import " + importId));
    }
}
