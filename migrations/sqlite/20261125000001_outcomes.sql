-- How a case ends: agreements and their terms, judicial confirmation, return
-- visits, the case file (checklist, explanations of gaps, attachments), and
-- the product settings administrators keep. Dates that are calendar days in
-- Shanghai are text 'YYYY-MM-DD'; instants are UTC milliseconds.

-- A written agreement (调解协议书) or an oral one recorded by the mediator.
create table agreements (
    id integer primary key autoincrement,
    case_id integer not null references cases (id) on delete cascade,
    kind text not null check (kind in ('written', 'oral')),
    -- the statutory contents of a written agreement (art. 29)
    facts text not null default '',
    disputes text not null default '',
    responsibility text not null default '',
    -- an oral agreement's content, as the mediator recorded it
    content text not null default '',
    -- the day it takes effect (signing): starts the 30-day confirmation window
    effective_on text not null,
    recorded_by integer not null references users (id),
    recorded_at bigint not null
);
create index agreements_case on agreements (case_id, id);

create table agreement_terms (
    id integer primary key autoincrement,
    agreement_id integer not null references agreements (id) on delete cascade,
    position integer not null,
    obligor text not null,
    obligation text not null,
    -- fen, if money is involved
    amount_fen bigint,
    place text not null default '',
    due_on text not null
);
create index agreement_terms_agreement on agreement_terms (agreement_id, position);

-- 司法确认: an application and, later, the court's result.
create table judicial_confirmations (
    id integer primary key autoincrement,
    case_id integer not null references cases (id) on delete cascade,
    agreement_id integer not null references agreements (id),
    applied_on text not null,
    court text not null,
    result text not null check (result in ('pending', 'confirmed', 'rejected')),
    court_reference text not null default '',
    decided_on text,
    recorded_by integer not null references users (id),
    recorded_at bigint not null
);
create index judicial_confirmations_case on judicial_confirmations (case_id, id);

-- 回访: scheduled with a due day, then recorded.
create table return_visits (
    id integer primary key autoincrement,
    case_id integer not null references cases (id) on delete cascade,
    due_on text not null,
    visited_on text,
    visited_by integer references users (id),
    -- JSON: [{"term_id": 1, "performance": "performed"}, ...]
    performance text not null default '[]',
    satisfaction integer check (satisfaction between 1 and 5),
    renewed_conflict integer not null default 0 check (renewed_conflict in (0, 1)),
    notes text not null default '',
    scheduled_by integer not null references users (id),
    scheduled_at bigint not null,
    recorded_at bigint
);
create index return_visits_case on return_visits (case_id, due_on);
create index return_visits_due on return_visits (visited_on, due_on);

-- Which file items each outcome requires; administrators may change them.
create table file_requirements (
    outcome text not null,
    item text not null,
    primary key (outcome, item)
);
insert into file_requirements (outcome, item) values
    ('agreed', 'registration'), ('agreed', 'rights_notice'), ('agreed', 'party_ids'),
    ('agreed', 'mediation_records'), ('agreed', 'agreement_record'),
    ('agreed', 'return_visit_record'),
    ('terminated', 'registration'), ('terminated', 'rights_notice'),
    ('terminated', 'mediation_records'),
    ('referred', 'registration'), ('declined', 'registration'), ('withdrawn', 'registration');

-- An item marked as present on paper, or the reason it is missing.
create table case_file_entries (
    case_id integer not null references cases (id) on delete cascade,
    item text not null,
    -- 'present' (kept on paper) or 'explained' (missing, with the reason)
    state text not null check (state in ('present', 'explained')),
    note text not null default '',
    recorded_by integer not null references users (id),
    recorded_at bigint not null,
    primary key (case_id, item)
);

-- Photos and scans, stored outside the database under their storage key.
create table attachments (
    id integer primary key autoincrement,
    case_id integer not null references cases (id) on delete cascade,
    item text not null,
    file_name text not null,
    content_type text not null,
    size_bytes bigint not null,
    storage_key text not null unique,
    uploaded_by integer not null references users (id),
    uploaded_at bigint not null
);
create index attachments_case on attachments (case_id, id);

-- How many days after the last term falls due the first return visit is.
insert into settings (key, value) values ('return_visit_offset_days', '7');
