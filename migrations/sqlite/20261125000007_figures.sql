-- What the dashboard counts, kept on the case so figures are sums over an
-- index instead of replays of every timeline: the calendar day a case was
-- taken in (Asia/Shanghai), and how, when, at which tier and whether on
-- time it was concluded (cleared again if it is reopened).
alter table cases add column reported_on text not null default '';
update cases set reported_on = date(reported_at / 1000, 'unixepoch', '+8 hours');
alter table cases add column concluded_at bigint;
alter table cases add column concluded_on text;
alter table cases add column concluded_as text
    check (concluded_as in ('agreed', 'terminated', 'referred', 'declined', 'withdrawn'));
alter table cases add column concluded_tier_id integer references tiers (id);
-- 1 on time, 0 late, null not known
alter table cases add column concluded_on_time integer;
update cases set concluded_at = updated_at,
    concluded_on = date(updated_at / 1000, 'unixepoch', '+8 hours'),
    concluded_as = case when status not in ('closed', 'archived') then status
        when exists (select 1 from agreements a where a.case_id = cases.id) then 'agreed'
        else 'terminated' end,
    concluded_tier_id = tier_id
    where status not in ('reported', 'accepted', 'in_mediation');
create index cases_reported_on on cases (reported_on, area_path);
create index cases_concluded_on on cases (concluded_on, area_path);
