-- Re-import by ID: what the sheet said, what the database held at prepare, and what will change.

alter table staged_contact
    add column file_version integer,   -- the version column of the edited sheet
    add column base_version integer;   -- the contact's version when the import was prepared

alter table import_batch
    add column fields text[],          -- the fields the file has columns for: the only ones it changes
    add column tag text;               -- added to every contact the import updates

-- one line per changed field, the change report and what start applies
create table import_change (
    import_id   bigint not null,
    line        bigint not null,
    contact_id  bigint not null,
    field       text not null,
    old_value   text,
    new_value   text
);
create index import_change_line on import_change (import_id, line);

-- the version an import left a contact at: a revert only restores contacts nobody changed since
alter table contact_before_image add column after_version integer;
