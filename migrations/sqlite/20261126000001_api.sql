-- Personal API tokens: a user's key for other systems. Only the SHA-256 of
-- the token is kept; the token itself is shown once, when it is made.
create table api_tokens (
    id integer primary key autoincrement,
    user_id integer not null references users (id) on delete cascade,
    name text not null,
    token_hash text not null unique,
    created_at bigint not null,
    last_used_at bigint,
    revoked_at bigint
);
create index api_tokens_user on api_tokens (user_id, revoked_at);

-- API rate limits: requests per client per fixed one-minute window, shared
-- by every app instance.
create table api_rate_windows (
    client_key text primary key,
    window_start bigint not null,
    used bigint not null
);

-- Idempotency-Key on API creates: the first answer is kept and replayed for
-- a retry with the same key by the same user, for a day.
create table api_idempotency (
    user_id integer not null references users (id) on delete cascade,
    idem_key text not null,
    request_path text not null,
    status integer not null,
    body text not null,
    created_at bigint not null,
    primary key (user_id, idem_key)
);
create index api_idempotency_created on api_idempotency (created_at);
