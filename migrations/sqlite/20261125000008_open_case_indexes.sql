-- Open cases are a few percent of all cases: partial indexes over just
-- them keep the queue, its counts and the sweeper independent of how many
-- finished cases the database holds. Queries must say exactly
-- `status in ('reported', 'accepted', 'in_mediation')` to use them.
create index cases_open_by_id on cases (id)
    where status in ('reported', 'accepted', 'in_mediation');
create index cases_open_tier_age on cases (tier_id, reported_at)
    where status in ('reported', 'accepted', 'in_mediation');
create index cases_open_tier_area on cases (tier_id, area_path)
    where status in ('reported', 'accepted', 'in_mediation');
create index cases_open_tier_due on cases (tier_id, tier_due_on)
    where status in ('reported', 'accepted', 'in_mediation');
create index cases_open_area_colour on cases (area_path, warning_colour)
    where status in ('reported', 'accepted', 'in_mediation');
create index cases_open_age on cases (reported_at)
    where status in ('reported', 'accepted', 'in_mediation');
create index cases_open_due on cases (tier_due_on)
    where status in ('reported', 'accepted', 'in_mediation');
