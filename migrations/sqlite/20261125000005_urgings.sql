-- 督办: a supervisor urges a case's owner with a deadline for an answer;
-- tracked until the owner answers.
create table urgings (
    id integer primary key autoincrement,
    case_id integer not null references cases (id) on delete cascade,
    urged_by integer not null references users (id),
    note text not null,
    respond_by bigint not null,
    urged_at bigint not null,
    answer text,
    answered_by integer references users (id),
    answered_at bigint
);
create index urgings_case on urgings (case_id, answered_at);
create index urgings_open on urgings (answered_at, respond_by);
