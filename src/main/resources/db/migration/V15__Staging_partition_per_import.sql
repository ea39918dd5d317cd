-- Each import stages into a partition of its own (StagingPartition): COPY fills it with no index to
-- keep up, its key is built once staging is done, and only it is analyzed for the check. Staging
-- rows of every import in one indexed table made the staging COPY pay for a primary key on every row
-- (about 30 % of its time) and the check analyze every earlier import's rows too.

alter table staged_contact rename to staged_contact_unpartitioned;

-- the same columns, defaults and action check; no key on the parent: each partition has its own
create table staged_contact (like staged_contact_unpartitioned including defaults including constraints)
    partition by list (import_id);

-- every import registered before keeps its rows, in a partition of its own with its key already built
-- (one still staging goes on into it); the partition's name and index are the ones StagingPartition uses
do $$
declare
    import bigint;
begin
    for import in select id from import_batch union select distinct import_id from staged_contact_unpartitioned loop
        execute format('create table staged_contact_%s partition of staged_contact for values in (%s)', import, import);
        execute format('insert into staged_contact_%s select * from staged_contact_unpartitioned where import_id = %s',
                import, import);
        execute format('create unique index staged_contact_%s_line on staged_contact_%s (import_id, line)', import, import);
    end loop;
end $$;

drop table staged_contact_unpartitioned;
