-- How many open cases each area has, per tier and colour, kept by a trigger
-- on every write to cases whatever its path, so the queue's colour counts
-- read a few rows per area instead of counting the open cases themselves.
create table open_case_counts (
    area_id bigint not null references areas (id),
    tier_id bigint not null references tiers (id),
    colour text not null,
    n bigint not null default 0,
    primary key (area_id, tier_id, colour)
);
insert into open_case_counts (area_id, tier_id, colour, n)
    select area_id, tier_id, warning_colour, count(*) from cases
    where status in ('reported', 'accepted', 'in_mediation')
    group by area_id, tier_id, warning_colour;

create function open_case_counts_track() returns trigger language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') and old.status in ('reported', 'accepted', 'in_mediation') then
        update open_case_counts set n = n - 1
            where area_id = old.area_id and tier_id = old.tier_id and colour = old.warning_colour;
    end if;
    if tg_op in ('INSERT', 'UPDATE') and new.status in ('reported', 'accepted', 'in_mediation') then
        insert into open_case_counts (area_id, tier_id, colour, n)
            values (new.area_id, new.tier_id, new.warning_colour, 1)
            on conflict (area_id, tier_id, colour) do update set n = open_case_counts.n + 1;
    end if;
    return null;
end
$$;

create trigger cases_open_counts
    after insert or update of status, warning_colour, area_id, tier_id or delete on cases
    for each row execute function open_case_counts_track();
