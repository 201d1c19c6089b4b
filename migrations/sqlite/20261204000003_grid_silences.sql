-- Silent grids (静默网格): each time a grid falls silent is written once, so
-- the supervisors above it are told once per crossing (as with colours).
-- `last_active_on` is the last patrol or report before the silence ('' when
-- none was known); the next silence after new activity is a new row.
create table grid_silences (
    area_id integer not null references areas (id),
    last_active_on text not null,
    quiet_days bigint not null,
    noticed_at bigint not null,
    primary key (area_id, last_active_on)
);

-- A notification is about a case or, for a silent grid, about an area.
create table notifications_next (
    id integer primary key autoincrement,
    user_id integer not null references users (id),
    case_id integer references cases (id) on delete cascade,
    area_id integer references areas (id),
    kind text not null,
    detail text not null default '',
    created_at bigint not null,
    read_at bigint,
    check (case_id is not null or area_id is not null)
);
insert into notifications_next (id, user_id, case_id, area_id, kind, detail, created_at, read_at)
    select id, user_id, case_id, null, kind, detail, created_at, read_at from notifications;
drop table notifications;
alter table notifications_next rename to notifications;
create index notifications_user on notifications (user_id, read_at, id);
