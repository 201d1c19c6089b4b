-- The last day of a case's current tier (Asia/Shanghai calendar date,
-- YYYY-MM-DD), kept with its colour so a queue sorts by time left without
-- computing every case's clock. Null while the clock is paused or the case
-- is finished.
alter table cases add column tier_due_on text;
create index cases_time_left on cases (tier_id, tier_due_on);
