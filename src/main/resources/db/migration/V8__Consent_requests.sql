-- Consent requests by email (double opt-in): contacts uploaded with --consent request stay 'pending' until
-- they answer a confirmation email. One request per upload; one row per contact asked; one row per message.

-- The request a confirmation came through (the contact's consent_source says 'email confirmation').
alter table contact add column consent_request_id bigint;

-- One request: the pending contacts of one upload, asked at once. The id is the Spring Batch job instance
-- of the run that made it, so a restarted run finds its own request again.
create table consent_request (
    id          bigint primary key,
    import_id   bigint not null unique,
    file_name   text not null,
    created_by  text not null,
    created_at  timestamptz not null default now()
);

-- A contact asked by a request. Answered once: confirmed or declined; expired when nobody answered in time.
create table consent_request_contact (
    request_id     bigint not null references consent_request (id),
    contact_id     bigint not null references contact (id),
    email          text not null,
    state          text not null default 'pending',
    first_sent_at  timestamptz,            -- when the first message went out (null: not yet, or it failed)
    reminded_at    timestamptz,            -- the one reminder
    answered_at    timestamptz,            -- confirmed, declined or expired
    expired_by     bigint,                 -- the run that expired it (a reminder run, or a later request)
    primary key (request_id, contact_id),
    constraint consent_request_contact_state check (state in ('pending', 'confirmed', 'declined', 'expired'))
);
create index consent_request_contact_open on consent_request_contact (contact_id) where state = 'pending';

-- Every message a run sends: queued by the run's first step, then claimed (status 'sending', committed)
-- just before it is handed to the mail server and given its outcome (sent or failed) right after, each in a
-- transaction of its own. A message found 'sending' by a restart was cut off mid-way: it is never sent again.
create table consent_message (
    id            bigint generated always as identity primary key,
    run_id        bigint not null,         -- the consentRequest job instance that sends it
    request_id    bigint not null,
    contact_id    bigint not null,
    kind          text not null,           -- request or reminder
    email         text not null,
    status        text not null default 'queued',
    attempted_at  timestamptz,
    sent_at       timestamptz,
    message_id    text,                    -- the Message-ID header it went out with
    code          text,                    -- why it failed
    message       text,                    -- the mail server's answer when it refused
    constraint consent_message_kind check (kind in ('request', 'reminder')),
    constraint consent_message_status check (status in ('queued', 'sending', 'sent', 'failed'))
);
create index consent_message_run on consent_message (run_id, id);
-- one request and at most one reminder per person asked, however many runs queue them at once
create unique index consent_message_once on consent_message (request_id, contact_id, kind);
