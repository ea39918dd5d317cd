-- A deactivated contact leaves every list; the lists it left are kept here so reactivating it puts it back on
-- them (with the time it first joined), as people expect of "comes back with reactivate".
create table contact_list_left (
    list_id     bigint not null references contact_list (id),
    contact_id  bigint not null references contact (id),
    added_at    timestamptz not null,
    left_at     timestamptz not null default now(),
    primary key (contact_id, list_id)
);
