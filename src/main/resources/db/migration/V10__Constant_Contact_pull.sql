-- Constant Contact pull: contacts created, edited, deleted or re-subscribed in the account come here.

-- The contacts a pull read from the account (GET /contacts?updated_after=…, and status=deleted), one row per
-- contact and run, kept in the transaction of the page that brought them, so a restarted read goes on from the
-- next page and the apply step reads the same rows again.
create table cc_pull_seen (
    run_id         bigint not null,
    cc_contact_id  uuid not null,
    deleted        boolean not null,
    updated_at     timestamptz,
    contact        jsonb not null,        -- the contact as the account gave it, with its sub-resources
    primary key (run_id, cc_contact_id)
);

-- What a pull did with each contact it read: the sync log's files are made from these.
create table cc_pull_item (
    run_id         bigint not null,
    cc_contact_id  uuid not null,
    contact_id     bigint,                -- the contact here; null when skipped before one was found
    email          text,
    name           text,
    action         char(1) not null,      -- C created, U updated, N unchanged, D deactivated, S skipped
    resubscribed   boolean not null default false,
    code           text,
    reason         text,
    primary key (run_id, cc_contact_id)
);

-- The mapped fields of the contact as the last pull read them, named as an import names them (first_name,
-- phone, city, cf:<name>…): a field read then and empty there now was cleared in the account, and is cleared here.
alter table contact add column cc_pulled jsonb;
