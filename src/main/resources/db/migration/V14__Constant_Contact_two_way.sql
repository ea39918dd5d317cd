-- Two-way sync. When the last pull read each contact: of what the last push sent (cc_sent, at cc_pushed_at) and
-- what the last pull read (cc_pulled, at cc_pulled_at) the later one is the value last synced, so a field changed
-- on both sides since can be told from one changed on one side only.
alter table contact add column cc_pulled_at timestamptz;

-- The fields a pull of a two-way profile found changed on both sides since the last sync: the newer edit won, the
-- other value is kept here for the run's conflicts.csv.
create table cc_pull_conflict (
    run_id         bigint not null,
    cc_contact_id  uuid not null,
    contact_id     bigint,
    email          text,
    field          text not null,         -- the Constant Contact field, as an import names it (first_name, cf:<label>…)
    value_here     text,
    value_there    text,
    won            text not null,         -- here, or Constant Contact
    primary key (run_id, cc_contact_id, field)
);

-- A pull finds the contact here by its Constant Contact id first, for every contact it reads: without an index that
-- is a scan of the whole table each time, and a pull of 100,000 new contacts took hours.
create index contact_cc_contact_id on contact (cc_contact_id) where cc_contact_id is not null;
