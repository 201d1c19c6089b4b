-- The sign-in before the latest one, shown to the user on their home page so
-- that a sign-in they did not make stands out. UTC milliseconds, like every *_at.
alter table users add column previous_login_at bigint;
