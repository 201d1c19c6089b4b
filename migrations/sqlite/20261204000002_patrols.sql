-- Patrols (巡查日志): a grid worker's walk of a grid on a day, what was
-- visited and what was found. `found` = 'nothing' is a zero report (零报告).
-- The disputes found are cases with `patrol_id` set. `submit_key` makes a
-- retried or double-tapped submit land on the patrol the first one made.
create table patrols (
    id integer primary key autoincrement,
    area_id integer not null references areas (id),
    area_path text not null,
    patrolled_on text not null,
    visits bigint not null check (visits >= 0),
    notes text not null default '',
    found text not null check (found in ('nothing', 'disputes', 'matters')),
    matters text not null default '',
    recorded_by integer not null references users (id),
    recorded_at bigint not null,
    submit_key text not null
);
create unique index patrols_submit_key on patrols (recorded_by, submit_key);
create index patrols_recorder on patrols (recorded_by, patrolled_on);
create index patrols_area on patrols (area_path, patrolled_on);
create index patrols_day on patrols (patrolled_on, area_path);

alter table cases add column patrol_id integer references patrols (id);
create index cases_patrol on cases (patrol_id) where patrol_id is not null;
