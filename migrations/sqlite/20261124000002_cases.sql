-- Cases: the mediation ladder and the categories as data, cases and their
-- parties, mediation sessions and the timeline. Every *_at is UTC milliseconds.

-- The ladder (网格 → 自治 → 法治 → 德治), edited by administrators.
create table tiers (
    id integer primary key autoincrement,
    -- place on the ladder: 0 is the grid (on the spot), escalation goes up by one
    position integer not null unique,
    code text not null unique,
    name_zh text not null,
    name_en text not null,
    -- the area level whose staff work this tier's queue
    owner_level text not null check (owner_level in ('county', 'township', 'community', 'grid')),
    time_limit integer not null check (time_limit > 0),
    limit_unit text not null check (limit_unit in ('working_days', 'calendar_days', 'months'))
);
insert into tiers (position, code, name_zh, name_en, owner_level, time_limit, limit_unit) values
    (0, 'grid', '网格（就地化解）', 'Grid (on the spot)', 'grid', 3, 'working_days'),
    (1, 'self_governance', '自治', 'Self-governance', 'community', 7, 'working_days'),
    (2, 'legal', '法治', 'Rule of law', 'township', 1, 'months'),
    (3, 'moral', '德治', 'Rule of virtue', 'township', 15, 'working_days');

-- Dispute categories, two levels; the top level is the national statistics list.
create table categories (
    id integer primary key autoincrement,
    parent_id integer references categories (id),
    code text not null unique,
    name_zh text not null,
    name_en text not null,
    position integer not null,
    active integer not null default 1 check (active in (0, 1))
);
insert into categories (code, name_zh, name_en, position) values
    ('marriage_family', '婚姻家庭', 'Marriage and family', 1),
    ('neighbours', '邻里', 'Neighbours', 2),
    ('housing_homestead', '房屋宅基地', 'Housing and homestead', 3),
    ('contract', '合同', 'Contract', 4),
    ('business', '生产经营', 'Business', 5),
    ('damages', '损害赔偿', 'Damages', 6),
    ('land_forest', '山林土地', 'Land and forest', 7),
    ('expropriation', '征地拆迁', 'Expropriation and relocation', 8),
    ('pollution', '环境污染', 'Pollution', 9),
    ('labour', '劳动争议', 'Labour', 10),
    ('consumer', '消费', 'Consumer', 11),
    ('medical', '医疗', 'Medical', 12),
    ('traffic', '道路交通事故', 'Road traffic accident', 13),
    ('property_management', '物业', 'Property management', 14),
    ('other', '其他', 'Other', 15);

-- The last case number given out per year, for FQ-YYYY-NNNNNN.
create table case_sequences (
    year integer primary key,
    last_number bigint not null
);

create table cases (
    id integer primary key autoincrement,
    code text not null unique,
    status text not null check (status in ('reported', 'accepted', 'in_mediation', 'agreed',
        'terminated', 'referred', 'declined', 'withdrawn', 'closed', 'archived')),
    tier_id integer not null references tiers (id),
    area_id integer not null references areas (id),
    -- the area's path, kept with area_id, so "in this subtree" is a range scan
    area_path text not null,
    owner_id integer references users (id),
    category_id integer not null references categories (id),
    source text not null,
    title text not null,
    description text not null,
    address text not null default '',
    latitude real,
    longitude real,
    risk_level text not null check (risk_level in ('low', 'medium', 'high')),
    -- the reporter's risk facts, JSON
    risk_factors text not null,
    reported_by integer not null references users (id),
    -- the reporter's key for this form submission: a retried submit finds its case
    intake_key text not null,
    reported_at bigint not null,
    accepted_at bigint,
    tier_entered_at bigint not null,
    -- non-null while the clock is paused; paused_ms is the time already paused
    clock_paused_at bigint,
    paused_ms bigint not null default 0,
    last_activity_at bigint not null,
    -- optimistic concurrency: every change bumps it, a stale write is refused
    version bigint not null default 1,
    updated_at bigint not null
);
create unique index cases_intake_key on cases (reported_by, intake_key);
create index cases_area_path on cases (area_path);
create index cases_status_tier on cases (status, tier_id, reported_at);
create index cases_owner on cases (owner_id, status);
create index cases_category on cases (category_id);

create table case_parties (
    id integer primary key autoincrement,
    case_id integer not null references cases (id) on delete cascade,
    position integer not null,
    role text not null check (role in ('applicant', 'respondent', 'other')),
    name text not null,
    -- personal information: shown masked unless revealed (and the reveal is logged)
    phone text not null default '',
    id_number text not null default '',
    address text not null default ''
);
create index case_parties_case on case_parties (case_id, position);

-- Mediation sessions (调解记录): the case file's mediation records.
create table mediation_sessions (
    id integer primary key autoincrement,
    case_id integer not null references cases (id) on delete cascade,
    held_on text not null,
    tier_id integer not null references tiers (id),
    mode text not null check (mode in ('self_governance', 'legal', 'moral')),
    participants text not null,
    record text not null,
    outcome text not null default '',
    recorded_by integer not null references users (id),
    recorded_at bigint not null
);
create index mediation_sessions_case on mediation_sessions (case_id, held_on);

-- The timeline: who did what to the case, when and why; written with the change.
create table case_events (
    id integer primary key autoincrement,
    case_id integer not null references cases (id) on delete cascade,
    at bigint not null,
    actor_id integer not null references users (id),
    kind text not null,
    from_status text,
    to_status text,
    from_tier_id integer references tiers (id),
    to_tier_id integer references tiers (id),
    from_area_id integer references areas (id),
    to_area_id integer references areas (id),
    owner_id integer references users (id),
    reason text not null default '',
    -- JSON with what else the kind carries (referral body and reference, session id, …)
    detail text not null default ''
);
create index case_events_case on case_events (case_id, id);
