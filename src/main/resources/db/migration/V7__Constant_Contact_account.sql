-- Which Constant Contact account the connection is to (GET /account/summary), shown by cc status.
-- The account this database's sync state belongs to is kept in cc_sync_state under 'account_id': when
-- another account is connected, that state (contact ids, hashes, list ids, cursors) is reset.
alter table cc_connection add column account_id text;
alter table cc_connection add column organization text;

-- An exact run takes a contact off every list this program put it on that it should no longer be on: the
-- managed list when it left the selection, a group list when it left the group. cc_managed_member records
-- every such list (not only the managed one); a removal names the lists it takes the contact off.
alter table cc_push_removal add column lists text;   -- Constant Contact list ids, sorted, comma-separated
