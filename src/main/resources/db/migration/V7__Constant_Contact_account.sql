-- Which Constant Contact account the connection is to (GET /account/summary), shown by cc status.
-- The account this database's sync state belongs to is kept in cc_sync_state under 'account_id': when
-- another account is connected, that state (contact ids, hashes, list ids, cursors) is reset.
alter table cc_connection add column account_id text;
alter table cc_connection add column organization text;
