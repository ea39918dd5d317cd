-- The row actions and import statuses the code knows (RowAction, ImportStatus), and no others:
-- a letter mistyped in a statement fails at once instead of leaving rows nobody applies.

alter table staged_contact add constraint staged_contact_action_known
    check (action in ('I', 'U', 'S', 'R', 'N', 'C', 'K'));

alter table import_batch add constraint import_batch_status_known
    check (status in ('staging', 'prepared', 'applied', 'reverted'));
