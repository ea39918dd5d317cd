package org.contactbatch.support;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Puts the test database back to empty between tests: every test starts from no contacts and no jobs. */
public final class TestDatabase {

    private TestDatabase() {
    }

    public static void clean(JdbcClient jdbc) {
        jdbc.sql("""
                truncate contact_list_member, contact_list_left, contact_list, contact_before_image, import_issue, staged_contact,
                    import_batch, job_report, contact, export_run, export_id,
                    consent_message, consent_request_contact, consent_request,
                    batch_step_execution_context, batch_step_execution, batch_job_execution_context,
                    batch_job_execution_params, batch_job_execution, batch_job_instance
                restart identity cascade""").update();
    }

    /** Runs the work while the database refuses new contacts, as a full disk would: an upload run then fails. */
    public static <T> T refusingNewContacts(JdbcClient jdbc, java.util.function.Supplier<T> work) {
        jdbc.sql("""
                create or replace function refuse_contacts() returns trigger language plpgsql as
                $$ begin raise exception 'the disk is full'; end $$""").update();
        jdbc.sql("create trigger refuse_contacts before insert on contact execute function refuse_contacts()").update();
        try {
            return work.get();
        }
        finally {
            jdbc.sql("drop trigger refuse_contacts on contact").update();
            jdbc.sql("drop function refuse_contacts()").update();
        }
    }
}
