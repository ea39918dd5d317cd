-- The export job (issue 3): what each export was asked for, resolved once when it starts.

-- One export: its filters, columns and files, keyed by the Spring Batch job instance id so a
-- restarted export finds its own plan again. The export's slices read the filter values from
-- here (COPY takes no bind parameters), so a value a person typed never becomes SQL text.
create table export_run (
    id               bigint primary key,
    format           text not null,                 -- csv or xlsx
    out_path         text not null,                 -- where the finished file goes (its spools are next to it)
    delimiter        text not null,
    bom              boolean not null,
    overwrite        boolean not null,
    columns          text[] not null,               -- column keys in file order; custom fields as custom:NAME
    headers          text[] not null,               -- the header row, same order
    custom_names     text[] not null default '{}',  -- the custom fields among the columns, referenced by position
    max_contact_id   bigint not null,               -- contacts created after the export started are not in it
    parts            integer,                       -- how many spools the rows were split in, once they are
    list_id          bigint,
    lifecycle_stage  text,
    owner            text,
    tag              text,
    group_name       text,
    consent          text,                          -- confirmed, unconfirmed, pending, or none (no consent recorded)
    active           boolean,
    updated_since    timestamptz,
    by_ids           boolean not null default false,
    created_at       timestamptz not null default now()
);

-- "exactly these contacts": the IDs of an --ids file, while its export runs
create table export_id (
    export_id   bigint not null,
    contact_id  bigint not null,
    primary key (export_id, contact_id)
);

-- An export's default columns end with the custom fields its contacts have; this finds those contacts
-- without reading every contact. Contacts without custom fields (most) are not in it, so it costs an
-- upload nothing for them.
create index contact_with_custom_fields on contact (id) where custom_fields <> '{}'::jsonb;
