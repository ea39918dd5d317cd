-- Contacts and what the jobs keep about them (design §4).

create table contact (
    id               bigint generated always as identity primary key,
    email            text,
    phone            text,                -- as the person typed it
    phone_e164       text,                -- parsed, when the number could be recognised
    first_name       text,
    last_name        text,
    company          text,
    job_title        text,
    street           text,
    city             text,
    region           text,
    postal_code      text,
    country          text,
    lifecycle_stage  text,
    owner            text,
    legal            boolean,
    groups           text[]  not null default '{}',
    tags             text[]  not null default '{}',
    custom_fields    jsonb   not null default '{}',
    consent_state    text,
    consent_source   text,
    consent_at       timestamptz,
    consent_by       text,
    active           boolean not null default true,
    -- a contact without an email stays here but can never be sent to Constant Contact
    cc_syncable      boolean generated always as (email is not null) stored,
    cc_contact_id    uuid,
    cc_hash          text,
    cc_pushed_at     timestamptz,
    cc_unsubscribed  boolean not null default false,
    source_import_id bigint,              -- the import that created it, and the line it came from
    source_line      bigint,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    version          integer not null default 0,
    constraint contact_consent_state check (consent_state in ('confirmed', 'unconfirmed', 'pending')),
    constraint contact_reachable check (email is not null or phone is not null)
);

-- emails are unique when present, compared case-insensitively
create unique index contact_email_key on contact (lower(email)) where email is not null;
create index contact_updated_at on contact (updated_at);

create table contact_list (
    id          bigint generated always as identity primary key,
    name        text not null,
    cc_list_id  uuid,
    created_at  timestamptz not null default now()
);
create unique index contact_list_name_key on contact_list (lower(name));

create table contact_list_member (
    list_id     bigint not null references contact_list (id),
    contact_id  bigint not null references contact (id),
    added_at    timestamptz not null default now(),
    primary key (list_id, contact_id)
);
create index contact_list_member_contact on contact_list_member (contact_id);

-- One upload or re-import: its staged rows, issues and before-images hang off it.
-- The id is the Spring Batch job instance id, so a restarted job finds its own rows again.
create table import_batch (
    id            bigint primary key,
    kind          text not null,
    file_name     text not null,
    file_path     text not null,
    file_sha256   text not null,
    created_by    text not null,
    created_at    timestamptz not null default now(),
    mapping       jsonb not null,
    status        text not null default 'staging'
);

-- Staging tables carry no foreign keys: their rows are written and read only by the import that
-- owns them, and a per-row constraint trigger would make COPY into them several times slower.
create table staged_contact (
    import_id        bigint not null,
    line             bigint not null,
    action           char(1) not null default 'I',   -- I insert, U update, S skip (exists), R rejected
    contact_id       bigint,
    email            text,
    phone            text,
    phone_e164       text,
    first_name       text,
    last_name        text,
    company          text,
    job_title        text,
    street           text,
    city             text,
    region           text,
    postal_code      text,
    country          text,
    lifecycle_stage  text,
    owner            text,
    legal            boolean,
    groups           text[],
    tags             text[],
    custom_fields    jsonb,
    consent_state    text,
    primary key (import_id, line)
);

create table import_issue (
    import_id    bigint not null,
    line         bigint not null,
    severity     char(1) not null,                 -- E error (row not applied), W warning
    column_name  text,
    code         text not null,
    message      text not null
);
create index import_issue_line on import_issue (import_id, line);

-- what a contact looked like before an import changed it
create table contact_before_image (
    import_id   bigint not null,
    contact_id  bigint not null,
    before      jsonb not null,
    primary key (import_id, contact_id)
);

-- every report a job wrote, so it can be listed and served by id, never by a path from outside
create table job_report (
    id                bigint generated always as identity primary key,
    job_execution_id  bigint not null,
    kind              text not null,
    path              text not null,
    rows              bigint not null,
    bytes             bigint not null,
    created_at        timestamptz not null default now(),
    unique (job_execution_id, kind)
);
