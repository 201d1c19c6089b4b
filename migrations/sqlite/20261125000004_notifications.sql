-- The in-app inbox: a case turned yellow, orange or red (its owner; red also
-- the supervisors above it), or was escalated to a supervisor's level.
-- Written in the transaction of what it reports, so never twice.
create table notifications (
    id integer primary key autoincrement,
    user_id integer not null references users (id),
    case_id integer not null references cases (id) on delete cascade,
    -- 'colour' or 'escalated'
    kind text not null,
    -- JSON with what the kind carries (the colour, the tier)
    detail text not null default '',
    created_at bigint not null,
    read_at bigint
);
create index notifications_user on notifications (user_id, read_at, id);
