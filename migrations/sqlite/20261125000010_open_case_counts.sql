-- How many open cases each area has, per tier and colour, kept by triggers
-- on every write to cases whatever its path, so the queue's colour counts
-- read a few rows per area instead of counting the open cases themselves.
create table open_case_counts (
    area_id integer not null references areas (id),
    tier_id integer not null references tiers (id),
    colour text not null,
    n bigint not null default 0,
    primary key (area_id, tier_id, colour)
);
insert into open_case_counts (area_id, tier_id, colour, n)
    select area_id, tier_id, warning_colour, count(*) from cases
    where status in ('reported', 'accepted', 'in_mediation')
    group by area_id, tier_id, warning_colour;

create trigger cases_open_counts_insert after insert on cases
when new.status in ('reported', 'accepted', 'in_mediation')
begin
    insert or ignore into open_case_counts (area_id, tier_id, colour, n)
        values (new.area_id, new.tier_id, new.warning_colour, 0);
    update open_case_counts set n = n + 1
        where area_id = new.area_id and tier_id = new.tier_id and colour = new.warning_colour;
end;

create trigger cases_open_counts_leave after update of status, warning_colour, area_id, tier_id on cases
when old.status in ('reported', 'accepted', 'in_mediation')
begin
    update open_case_counts set n = n - 1
        where area_id = old.area_id and tier_id = old.tier_id and colour = old.warning_colour;
end;

create trigger cases_open_counts_enter after update of status, warning_colour, area_id, tier_id on cases
when new.status in ('reported', 'accepted', 'in_mediation')
begin
    insert or ignore into open_case_counts (area_id, tier_id, colour, n)
        values (new.area_id, new.tier_id, new.warning_colour, 0);
    update open_case_counts set n = n + 1
        where area_id = new.area_id and tier_id = new.tier_id and colour = new.warning_colour;
end;

create trigger cases_open_counts_delete after delete on cases
when old.status in ('reported', 'accepted', 'in_mediation')
begin
    update open_case_counts set n = n - 1
        where area_id = old.area_id and tier_id = old.tier_id and colour = old.warning_colour;
end;
