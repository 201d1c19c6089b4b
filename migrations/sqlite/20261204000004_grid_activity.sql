-- The last day each area had a patrol or a reported case, kept by triggers
-- on every insert whatever its path (intake, ledger import, demo), so that
-- silent grids read one row per grid instead of the cases themselves.
create table area_activity (
    area_id integer primary key references areas (id),
    last_active_on text not null
);
insert into area_activity (area_id, last_active_on)
    select area_id, max(day) from (
        select area_id, reported_on as day from cases where reported_on <> ''
        union all
        select area_id, patrolled_on as day from patrols
    )
    group by area_id;

create trigger cases_area_activity after insert on cases when new.reported_on <> ''
begin
    insert into area_activity (area_id, last_active_on) values (new.area_id, new.reported_on)
        on conflict (area_id) do update
        set last_active_on = max(area_activity.last_active_on, excluded.last_active_on);
end;

create trigger patrols_area_activity after insert on patrols
begin
    insert into area_activity (area_id, last_active_on) values (new.area_id, new.patrolled_on)
        on conflict (area_id) do update
        set last_active_on = max(area_activity.last_active_on, excluded.last_active_on);
end;
