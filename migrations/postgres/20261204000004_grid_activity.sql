-- The last day each area had a patrol or a reported case, kept by triggers
-- on every insert whatever its path (intake, ledger import, demo), so that
-- silent grids read one row per grid instead of the cases themselves.
create table area_activity (
    area_id bigint primary key references areas (id),
    last_active_on text not null
);
insert into area_activity (area_id, last_active_on)
    select area_id, max(day) from (
        select area_id, reported_on as day from cases where reported_on <> ''
        union all
        select area_id, patrolled_on as day from patrols
    ) as activity
    group by area_id;

create function area_activity_note(area bigint, day text) returns void language sql as $$
    insert into area_activity (area_id, last_active_on) values (area, day)
        on conflict (area_id) do update
        set last_active_on = greatest(area_activity.last_active_on, excluded.last_active_on);
$$;

create function cases_area_activity_track() returns trigger language plpgsql as $$
begin
    if new.reported_on <> '' then
        perform area_activity_note(new.area_id, new.reported_on);
    end if;
    return null;
end
$$;

create function patrols_area_activity_track() returns trigger language plpgsql as $$
begin
    perform area_activity_note(new.area_id, new.patrolled_on);
    return null;
end
$$;

create trigger cases_area_activity after insert on cases
    for each row execute function cases_area_activity_track();
create trigger patrols_area_activity after insert on patrols
    for each row execute function patrols_area_activity_track();
