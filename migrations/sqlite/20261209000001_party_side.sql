-- What a party does on its status page, and what the office tells it there.

-- An office's contact (调解组织联系方式): how a party reaches the mediation
-- office of an area (never a staff member's own number). A party is shown
-- the contact of the nearest area above its case that has one.
alter table areas add column contact_phone text not null default '';
alter table areas add column contact_address text not null default '';

-- The next mediation session's time and place (预约调解), set by whoever
-- works the case; the latest one set is the one in force.
create table appointments (
    id integer primary key autoincrement,
    case_id integer not null references cases (id) on delete cascade,
    starts_at bigint not null,
    place text not null,
    set_by integer not null references users (id),
    set_at bigint not null
);
create index appointments_case on appointments (case_id, id);
create index appointments_owner_day on appointments (starts_at);

-- What a party says through its status page: a message to the office, its
-- answer to an appointment (confirmed, or asked to move it), its answers to
-- the return visit. Shown on the case's timeline and told to its owner.
create table party_messages (
    id integer primary key autoincrement,
    case_id integer not null references cases (id) on delete cascade,
    party_id integer not null references case_parties (id) on delete cascade,
    kind text not null check (kind in ('message', 'appointment_confirmed',
        'appointment_move_asked', 'visit_answered')),
    -- the appointment answered, for the two appointment kinds
    appointment_id integer references appointments (id) on delete cascade,
    body text not null default '',
    at bigint not null
);
create index party_messages_case on party_messages (case_id, id);
create index party_messages_party on party_messages (party_id, kind);

-- A return visit answered by a party on its status page (当事人自评), not by
-- a visit of staff: at most one per party.
alter table return_visits add column given_by_party integer references case_parties (id);
create unique index return_visits_party on return_visits (given_by_party);

-- How long a party code keeps opening its status page after the case is
-- archived, in days.
insert into settings (key, value) values ('party_code_keep_days', '180');
