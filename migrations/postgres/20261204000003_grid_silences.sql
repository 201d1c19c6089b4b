-- Silent grids (静默网格): each time a grid falls silent is written once, so
-- the supervisors above it are told once per crossing (as with colours).
-- `last_active_on` is the last patrol or report before the silence ('' when
-- none was known); the next silence after new activity is a new row.
create table grid_silences (
    area_id bigint not null references areas (id),
    last_active_on text not null,
    quiet_days bigint not null,
    noticed_at bigint not null,
    primary key (area_id, last_active_on)
);

-- A notification is about a case or, for a silent grid, about an area.
alter table notifications alter column case_id drop not null;
alter table notifications add column area_id bigint references areas (id);
alter table notifications add constraint notifications_subject
    check (case_id is not null or area_id is not null);
