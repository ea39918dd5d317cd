-- Constant Contact: the connected account, what was pushed, the sync log, and the locks and rate
-- limit that every process of the application shares (design §4, §7).

-- The one connected account. Tokens are encrypted with a key from the environment (AES-GCM, the
-- key derived with this row's salt); they are never stored or logged in clear.
create table cc_connection (
    id                  integer primary key default 1 check (id = 1),
    account             text,                  -- who connected, from the token's claims
    scope               text,
    salt                text not null,         -- hex, for the key derivation
    access_token        text not null,         -- encrypted
    refresh_token       text,                  -- encrypted; null when none was granted
    access_expires_at   timestamptz not null,
    flow                text not null,         -- authorization_code or device_code
    connected_at        timestamptz not null default now(),
    refreshed_at        timestamptz,
    refresh_count       integer not null default 0,
    last_error          text,                  -- the last failed refresh, for cc status
    last_error_at       timestamptz
);

-- Lists and custom fields this application made sure exist in the account, by name.
create table cc_list (
    name        text not null,
    cc_list_id  uuid not null,
    created_at  timestamptz not null default now()
);
create unique index cc_list_name_key on cc_list (lower(name));

create table cc_custom_field (
    label               text not null,
    cc_custom_field_id  uuid not null,
    cc_name             text not null,         -- the generated name import columns use, cf:<name>
    created_at          timestamptz not null default now()
);
create unique index cc_custom_field_label_key on cc_custom_field (lower(label));

-- Who this application put on a managed list: the ones it may take off again (never anyone else).
create table cc_managed_member (
    cc_list_id  uuid not null,
    contact_id  bigint not null,
    added_at    timestamptz not null default now(),
    primary key (cc_list_id, contact_id)
);
create index cc_managed_member_contact on cc_managed_member (contact_id);

-- Small named values that outlive a run, such as the time unsubscribes were last pulled up to.
create table cc_sync_state (
    key         text primary key,
    value       text not null,
    updated_at  timestamptz not null default now()
);

-- The plan of one push run (run_id = the Spring Batch job instance): one row per selected contact.
create table cc_push_item (
    run_id       bigint not null,
    contact_id   bigint not null,
    email        text,
    action       char(1) not null,     -- C create, U update, N unchanged, S skipped, D duplicate ignored
    list_key     text,                 -- the Constant Contact list ids it joins, sorted, comma-separated
    payload      text,                 -- the import_data element, JSON
    bytes        integer,
    hash         text,
    activity_id  uuid,                 -- the import activity that carried it
    outcome      char(1),              -- null pending, O applied, E error reported by Constant Contact
    code         text,                 -- why skipped, ignored or failed
    message      text,
    primary key (run_id, contact_id)
);
create index cc_push_item_pending on cc_push_item (run_id, list_key, contact_id)
    where action in ('C', 'U') and activity_id is null;
create index cc_push_item_activity on cc_push_item (activity_id) where activity_id is not null;

-- The bulk activities a run started, recorded in the transaction that marks their contacts, so a
-- restarted run polls them instead of sending the contacts again.
create table cc_push_activity (
    activity_id   uuid primary key,
    run_id        bigint not null,
    kind          text not null,        -- import or remove
    contacts      integer not null,
    bytes         integer,
    state         text not null,
    counters      jsonb,
    errors        jsonb,
    created_at    timestamptz not null default now(),
    finished_at   timestamptz
);
create index cc_push_activity_run on cc_push_activity (run_id);

-- Contacts a run takes off the managed list.
create table cc_push_removal (
    run_id         bigint not null,
    contact_id     bigint not null,
    email          text,
    cc_contact_id  uuid,
    activity_id    uuid,
    outcome        char(1),             -- null pending, O removed, M not found in the account
    primary key (run_id, contact_id)
);

-- Unsubscribes pulled from Constant Contact by a run.
create table cc_unsubscribe_pulled (
    run_id         bigint not null,
    email          text not null,
    contact_id     bigint,               -- null when no contact here has that email
    cc_contact_id  uuid,
    opted_out_at   timestamptz,
    primary key (run_id, email)
);

-- The sync log: one row per run, with its counts; its files are in job_report.
create table cc_sync_log (
    job_execution_id  bigint primary key,
    run_id            bigint not null,
    job               text not null,
    profile           text,
    managed_list      text,
    dry_run           boolean not null default false,
    started_at        timestamptz not null,
    ended_at          timestamptz,
    status            text not null,
    counts            jsonb not null default '{}',
    message           text
);
create index cc_sync_log_run on cc_sync_log (run_id);

-- ShedLock: a scheduled profile runs in one instance of serve at a time.
create table shedlock (
    name        varchar(64) primary key,
    lock_until  timestamp not null,
    locked_at   timestamp not null,
    locked_by   varchar(255) not null
);

-- bucket4j: the one request budget (per second and per day) of every process using the API key.
create table cc_rate_limit_bucket (
    id          bigint primary key,
    state       bytea,
    expires_at  bigint
);
