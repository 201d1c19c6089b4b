-- Early warning: each case's colour and why, kept current by the sweeper and
-- indexed so queues and dashboards never scan every case; the history of
-- colour changes (one row per crossing); leases that let exactly one app
-- instance run a background job at a time.
alter table cases add column warning_colour text not null default 'none'
    check (warning_colour in ('none', 'green', 'yellow', 'orange', 'red'));
alter table cases add column warning_reason text not null default '';
create index cases_warning on cases (warning_colour, status, tier_id);

create table case_warnings (
    id integer primary key autoincrement,
    case_id integer not null references cases (id) on delete cascade,
    at bigint not null,
    from_colour text not null,
    to_colour text not null,
    reason text not null default ''
);
create index case_warnings_case on case_warnings (case_id, id);

create table job_leases (
    name text primary key,
    -- who holds it: an instance's random id
    holder text not null,
    expires_at bigint not null
);
