package org.contactbatch.upload;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

import org.contactbatch.files.FileHashes;
import org.contactbatch.imports.RowAction;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Before a full dry run's snapshot is applied: makes sure applying it now gives what the dry run
 * showed. The check step decided each row by who held its email then (nobody: insert; a contact:
 * update, skip or reject); a row whose email is held by someone else now would come out otherwise,
 * so the apply is refused, naming the first such rows. The file must be the one the dry run read,
 * since the reports are written from it. Then the target list is created, which the dry run left
 * for this moment.
 */
public class UploadVerifyTasklet implements Tasklet {

    private static final int NAMED = 3;

    private final JdbcClient jdbc;
    private final UploadOptions options;
    private final long importId;

    public UploadVerifyTasklet(JdbcClient jdbc, UploadOptions options, long importId) {
        this.jdbc = jdbc;
        this.options = options;
        this.importId = importId;
    }

    private record Changed(long line, String email, Long then, Long now) {

        String describe() {
            String at = "line " + line + ": " + email;
            if (then == null) {
                return at + " was taken by contact " + now;
            }
            return now == null ? at + " no longer belongs to contact " + then
                    : at + " now belongs to contact " + now + ", not " + then;
        }
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        if (!sameFile()) {
            throw refused(options.file() + " is gone or changed since the dry run, and the reports are written from it");
        }
        // the rows whose outcome depends on the contacts: the first row of each email (later ones
        // are duplicates in the file, whatever the database holds) and those matched to a contact
        List<Changed> changed = jdbc.sql(RowAction.inline("""
                select s.line, s.email, s.contact_id, c.id
                from staged_contact s
                left join contact c on lower(c.email) = lower(s.email)
                where s.import_id = :id and s.email is not null
                  and (s.action in ({INSERT}, {UPDATE}, {SKIP_EXISTING}) or s.contact_id is not null)
                  and c.id is distinct from s.contact_id
                order by s.line
                limit :named"""))
                .param("id", importId).param("named", NAMED + 1)
                .query((rs, n) -> new Changed(rs.getLong(1), rs.getString(2), rs.getObject(3, Long.class),
                        rs.getObject(4, Long.class)))
                .list();
        if (!changed.isEmpty()) {
            String named = String.join("; ", changed.stream().limit(NAMED).map(Changed::describe).toList());
            throw refused("the contacts changed since the dry run in a way that changes its outcome (" + named
                    + (changed.size() > NAMED ? "; and more" : "") + ")");
        }
        if (options.list() != null) {
            jdbc.sql("insert into contact_list (name) values (:name) on conflict (lower(name)) do nothing")
                    .param("name", options.list())
                    .update();
        }
        return RepeatStatus.FINISHED;
    }

    private boolean sameFile() {
        try {
            return Files.isRegularFile(options.file()) && FileHashes.sha256(options.file()).equals(options.sha256());
        }
        catch (UncheckedIOException unreadable) {
            return false;
        }
    }

    private StagedUploadChangedException refused(String why) {
        return new StagedUploadChangedException("upload " + importId + " was not applied: " + why
                + ". Nothing was changed; run the dry run again to see what the upload would do now");
    }
}
