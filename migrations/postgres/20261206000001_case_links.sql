-- Cases linked by hand (关联案件): a repeat of an earlier dispute (重复纠纷),
-- a related one, or one dispute of a group (群体性纠纷). One row a pair,
-- the lower case id first; both cases show the link.
create table case_links (
    case_id bigint not null references cases (id) on delete cascade,
    other_case_id bigint not null references cases (id) on delete cascade,
    kind text not null check (kind in ('repeat', 'related', 'same_group')),
    linked_by bigint not null references users (id),
    linked_at bigint not null,
    primary key (case_id, other_case_id),
    check (case_id < other_case_id)
);
create index case_links_other on case_links (other_case_id);
