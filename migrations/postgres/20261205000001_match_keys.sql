-- Repeat disputes (重复纠纷): the keys a case is found by (a party's ID or
-- phone number, a name at an address, an address, a map cell), each kept
-- only as a keyed hash whose secret lives outside the database. One index
-- lookup per key finds the cases sharing it.
create table case_match_keys (
    digest text not null,
    case_id bigint not null references cases (id) on delete cascade,
    kind text not null
        check (kind in ('id_number', 'phone', 'name_address', 'address', 'place')),
    primary key (digest, case_id)
);
create index case_match_keys_case on case_match_keys (case_id);

-- Whether a case's keys are written. Intake writes them with the case; the
-- sweeper keys the rest (cases from before this migration, imported ledgers).
alter table cases add column match_keyed smallint not null default 0
    check (match_keyed in (0, 1));
create index cases_unkeyed on cases (id) where match_keyed = 0;
