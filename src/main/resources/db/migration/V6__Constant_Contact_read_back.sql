-- Constant Contact: what the account holds is read back, never inferred from what was sent.

-- A contact's position in the import that carried it (1 = the first element of import_data): the
-- account's activity errors name a line, not always the email.
alter table cc_push_item add column line integer;

-- The contacts of a run selected by an --ids file, loaded once per run so a restart selects the same.
create table cc_push_selected (
    run_id      bigint not null,
    contact_id  bigint not null,
    primary key (run_id, contact_id)
);

-- Whether a run made the managed list exact (a saved profile's whole selection, or --exact) or only
-- added and updated the contacts it selected (a manual run).
alter table cc_sync_log add column exact boolean;

-- When the account says it created an import activity: reading back starts from there.
alter table cc_push_activity add column cc_created_at timestamptz;

-- The contact's updated_at in the account as this application last read it back: a later one means
-- the account changed it since (someone in the website), and the contact is sent again.
alter table contact add column cc_seen_updated_at timestamptz;

-- The contacts a run read from the account (GET /contacts?updated_after=…): phase C, the account's changes
-- since the last read, before planning; phase R, the read-back after the imports; phase A, the audit's
-- read of the whole account.
create table cc_push_seen (
    run_id         bigint not null,
    phase          char(1) not null,
    email          text not null,        -- lowercased
    cc_contact_id  uuid not null,
    permission     text,
    deleted        boolean not null,
    list_ids       text,                 -- sorted, comma-separated
    updated_at     timestamptz,
    fields         jsonb                 -- the audit's: first_name… and cf:<name>, as an import names them
);
create index cc_push_seen_run on cc_push_seen (run_id, phase, email);

-- A person who asked here not to be emailed: unsubscribed in Constant Contact by the next push.
alter table contact drop constraint contact_consent_state;
alter table contact add constraint contact_consent_state
    check (consent_state in ('confirmed', 'unconfirmed', 'pending', 'opted_out'));

-- Opt-outs made here that a run unsubscribed in Constant Contact.
create table cc_push_unsubscribe (
    run_id         bigint not null,
    contact_id     bigint not null,
    email          text,
    cc_contact_id  uuid,
    outcome        char(1),             -- null pending, O unsubscribed there, M not in the account, E refused
    message        text,
    primary key (run_id, contact_id)
);

-- What cc audit found: one row per difference between the account and this database.
create table cc_audit_drift (
    run_id      bigint not null,
    email       text not null,
    contact_id  bigint,
    kind        text not null,           -- ON_LIST_NOT_SELECTED, SELECTED_MISSING, WRONG_GROUP_LISTS, …
    account     text,                    -- what the account holds
    expected    text,                    -- what it should hold
    why         text not null
);
create index cc_audit_drift_run on cc_audit_drift (run_id, kind);

-- The email the account holds for the contact, as the read-back last saw it: a different one here means
-- the email changed, and the contact under the old address is taken off the lists this program put it on.
alter table contact add column cc_email text;
update contact set cc_email = lower(trim(email)) where cc_contact_id is not null or cc_hash is not null;

create table cc_push_email_change (
    run_id             bigint not null,
    contact_id         bigint not null,
    old_email          text not null,
    old_cc_contact_id  uuid,
    activity_id        uuid,               -- the remove_list_memberships activity that took the old address off
    outcome            char(1),            -- null pending, O taken off, M the old address not in the account, E failed
    primary key (run_id, contact_id)
);

-- What the account was last confirmed to hold from this program (the import element): a field sent then
-- and empty now was cleared here, and is cleared there (an import never blanks one).
alter table contact add column cc_sent jsonb;
alter table cc_push_item add column cleared text;   -- the fields to clear there, comma-separated
alter table cc_push_item add column cleared_outcome char(1);  -- O cleared, E refused (message), null pending
