package org.contactbatch.upload;

import org.contactbatch.contacts.ContactField;
import org.contactbatch.imports.CheckTasklet;
import org.contactbatch.imports.RowAction;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The rules across rows, set-based in SQL where they are fastest: a second row with an email
 * seen earlier in the file, and emails that already belong to a contact.
 */
public class UploadCheckTasklet extends CheckTasklet {

    private final UploadOptions options;
    private final String emailColumn;

    public UploadCheckTasklet(JdbcClient jdbc, UploadOptions options, long importId) {
        super(jdbc, importId);
        this.options = options;
        this.emailColumn = UploadPlan.of(options).mapping().columnOf(ContactField.EMAIL);
    }

    @Override
    protected void check() {
        rejectRepeatedEmails(false, "DUPLICATE_IN_FILE", "'the same email is on line ' || first_line", emailColumn);

        RowAction action = switch (options.onExisting()) {
            case ERROR -> RowAction.REJECTED;
            case SKIP -> RowAction.SKIP_EXISTING;
            case UPDATE -> RowAction.UPDATE;
        };
        boolean rejected = action == RowAction.REJECTED;
        jdbc.sql(RowAction.inline("""
                with existing as (
                    update staged_contact s set action = :action, contact_id = c.id
                    from contact c
                    where s.import_id = :id and s.action = {INSERT} and s.email is not null
                      and lower(c.email) = %s
                    returning s.line, c.id
                )
                insert into import_issue (import_id, line, severity, column_name, code, message)
                select :id, line, :severity, :column, :code, :message || id
                from existing
                where :action <> {UPDATE}""".formatted(emailKey("s.email"))))
                .param("id", importId)
                .param("action", action.code())
                .param("severity", rejected ? "E" : "W")
                .param("column", emailColumn)
                .param("code", rejected ? "ALREADY_EXISTS" : "SKIPPED_EXISTING")
                .param("message", rejected
                        ? "a contact with this email already exists (use --on-existing update or skip): contact "
                        : "a contact with this email already exists and was left as it is: contact ")
                .update();
    }
}
