-- Foundation: the area tree, accounts, sessions, login throttling, audit log.
-- Every *_at column is an instant in UTC, as milliseconds since the Unix epoch.

create table areas (
    id integer primary key autoincrement,
    parent_id integer references areas (id),
    level text not null check (level in ('county', 'township', 'community', 'grid')),
    name text not null,
    -- materialised path of ids from the root, '/1/4/17/'; set right after insert
    path text not null default '',
    created_at bigint not null
);
create unique index areas_parent_name on areas (coalesce(parent_id, 0), name);
create index areas_path on areas (path);

create table users (
    id integer primary key autoincrement,
    username text not null unique,
    display_name text not null,
    role text not null check (role in ('grid_worker', 'mediator', 'supervisor', 'admin')),
    area_id integer not null references areas (id),
    password_hash text not null,
    created_at bigint not null,
    updated_at bigint not null,
    last_login_at bigint,
    deactivated_at bigint
);
create index users_area on users (area_id);

create table sessions (
    -- SHA-256 of the opaque cookie token; the token itself is never stored
    token_hash text primary key,
    user_id integer not null references users (id) on delete cascade,
    created_at bigint not null,
    last_seen_at bigint not null
);
create index sessions_user on sessions (user_id);
create index sessions_created on sessions (created_at);

create table login_throttle (
    username_key text primary key,
    failures bigint not null,
    window_started_at bigint not null,
    locked_until bigint
);

create table audit_log (
    id integer primary key autoincrement,
    at bigint not null,
    actor_id integer references users (id),
    action text not null,
    subject_type text not null,
    subject_id bigint,
    detail text not null default ''
);
create index audit_log_at on audit_log (at);
create index audit_log_subject on audit_log (subject_type, subject_id);

create table settings (
    key text primary key,
    value text not null
);
