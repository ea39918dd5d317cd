-- A first message that failed (the mail server refused the address, or the address can't be written) closes
-- the person's request as 'failed', with the reason: the next upload with --consent request asks again.
alter table consent_request_contact drop constraint consent_request_contact_state;
alter table consent_request_contact add constraint consent_request_contact_state
    check (state in ('pending', 'confirmed', 'declined', 'expired', 'failed'));
alter table consent_request_contact add column reason text;   -- why it failed: the message's code and the server's answer

-- A message whose person answered (or opted out some other way) after it was queued is not sent: 'skipped',
-- code ANSWERED.
alter table consent_message drop constraint consent_message_status;
alter table consent_message add constraint consent_message_status
    check (status in ('queued', 'sending', 'sent', 'failed', 'skipped'));

-- One open request per person, whatever runs ask at once: the second run's row for a person conflicts and is
-- left out (counted as already pending). Any older duplicates are over first, as a later request ends them.
update consent_request_contact o set state = 'expired', answered_at = now()
where o.state = 'pending' and exists (select 1 from consent_request_contact n
                                      where n.contact_id = o.contact_id and n.state = 'pending'
                                        and n.request_id > o.request_id);
drop index consent_request_contact_open;
create unique index consent_request_contact_open on consent_request_contact (contact_id) where state = 'pending';
