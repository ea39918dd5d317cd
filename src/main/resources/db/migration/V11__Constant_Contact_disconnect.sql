-- cc disconnect: the account was disconnected on purpose. Its tokens are gone (cc_connection has no row);
-- this row says when, by whom, from which account and what became of the refresh token at the
-- authorization server, so that cc status can say "disconnected" rather than "never connected", and so
-- that every process (the scheduler of serve too) sees it and runs no profile until cc connect, which
-- removes this row in the statement that saves the new tokens. The history (sync log, runs, reports)
-- is not touched.
create table cc_disconnection (
    id               integer primary key default 1 check (id = 1),
    disconnected_at  timestamptz not null default now(),
    disconnected_by  text,                  -- who: a console user, or the command line's system user
    account_id       text,                  -- the account it was connected to, when it was known
    organization     text,
    revocation       text not null          -- what the authorization server did with the refresh token, in words
);
