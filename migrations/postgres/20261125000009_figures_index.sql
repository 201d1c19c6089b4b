-- The dashboard reads every case taken in during its period in one
-- subtree: an index holding all it counts lets it do so without touching
-- the table (it replaces the narrower one of 20261125000007).
drop index cases_reported_on;
create index cases_figures on cases (reported_on, area_path, category_id, source, risk_level,
    concluded_as, concluded_on_time, concluded_tier_id, concluded_at, reported_at);
