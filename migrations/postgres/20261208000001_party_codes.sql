-- The party code (解纷码) of each party of a case: made from the installation's
-- match secret, the party and its generation (a new generation revokes the
-- code before), so it can be printed again at any time and is never stored:
-- only its keyed digest, to find the party by it. Views of the party's
-- status page are counted here.
create table party_codes (
    party_id bigint primary key references case_parties (id) on delete cascade,
    case_id bigint not null references cases (id) on delete cascade,
    generation integer not null default 1 check (generation > 0),
    digest text not null unique,
    issued_at bigint not null,
    revoked_at bigint,
    views bigint not null default 0,
    last_viewed_at bigint
);
create index party_codes_case on party_codes (case_id);
