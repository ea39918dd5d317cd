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
