package org.contactbatch.constantcontact.push;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.contactbatch.constantcontact.client.QuotaExceededException;
import org.contactbatch.contacts.IdsFile;
import org.contactbatch.files.FileProblemException;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Step 1 of a push: the managed list, the group lists and the chosen custom fields exist in the account
 * (created when missing; a dry run only looks), and their ids are kept in the job's context for the
 * steps after, so a restart uses the same. Contacts sharing an email with an earlier one are put in the
 * plan as ignored: the first one wins.
 */
public class PushPrepareTasklet implements Tasklet {

    static final String LIST_IDS = "ccListIds";
    static final String FIELD_NAMES = "ccFieldNames";
    /** Group lists the account refused to create: name → its message. */
    static final String REFUSED_LISTS = "ccRefusedLists";

    private final AccountSetup setup;
    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final PushOptions options;
    private final long runId;

    public PushPrepareTasklet(AccountSetup setup, JdbcClient jdbc, DataSource dataSource, PushOptions options, long runId) {
        this.setup = setup;
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.options = options;
        this.runId = runId;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ExecutionContext job = chunkContext.getStepContext().getStepExecution().getJobExecution().getExecutionContext();
        loadIds();
        try {
            // the managed list must be there; a group list the account refuses is reported and left out
            Map<String, String> refused = new java.util.LinkedHashMap<>();
            Map<String, String> listIds = setup.lists(List.of(options.managedList()), setup.groups(options, runId),
                    !options.dryRun(), refused);
            job.putString(REFUSED_LISTS, JsonMapper.shared().writeValueAsString(refused));
            Map<String, String> fieldNames = setup.customFields(options.customFields().values(), !options.dryRun());
            job.putString(LIST_IDS, JsonMapper.shared().writeValueAsString(listIds));
            job.putString(FIELD_NAMES, JsonMapper.shared().writeValueAsString(fieldNames));
        }
        catch (QuotaExceededException e) {
            return PushStops.quotaExceeded(chunkContext, e);
        }
        ignoreDuplicates();
        return RepeatStatus.FINISHED;
    }

    /** The contacts of an --ids file, once per run: a restart selects the same, whatever the file says by then. */
    private void loadIds() {
        if (options.idsFile() == null || jdbc.sql("select exists (select 1 from cc_push_selected where run_id = :run)")
                .param("run", runId).query(Boolean.class).single()) {
            return;
        }
        Path file = Path.of(options.idsFile());
        IdsFile.Read read = IdsFile.read(file);
        if (!read.sha256().equals(options.idsSha256())) {
            throw new FileProblemException(file, null, "changed after the push was asked for; give the push command again");
        }
        read.copyInto(dataSource, "copy cc_push_selected (run_id, contact_id) from stdin", runId);
    }

    /** One email, several contacts: the one with the lowest id is sent, the others are listed as ignored. */
    private void ignoreDuplicates() {
        PushSelection selection = PushSelection.of(options, runId);
        jdbc.sql("delete from cc_push_item where run_id = :run and action = 'D'").param("run", runId).update();
        selection.bind(jdbc.sql("""
                insert into cc_push_item (run_id, contact_id, email, action, code, message)
                select :run, id, email, 'D', 'DUPLICATE_EMAIL',
                       'another contact (id ' || first_id || ') has the same email; that one is sent'
                from (select c.id, c.email,
                             first_value(c.id) over (partition by lower(trim(c.email)) order by c.id) as first_id
                      from contact c
                      where c.email is not null and trim(c.email) <> '' and %s) d
                where id <> first_id""".formatted(selection.where()))
                .param("run", runId)).update();
    }
}
