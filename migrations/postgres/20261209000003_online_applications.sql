-- The cases that came from the public form (当事人申请 at /apply), with the
-- keyed hash of the applicant's own phone (never the number), for the daily
-- limit per applicant phone; only these may be marked as spam.
create table online_applications (
    case_id bigint primary key references cases (id) on delete cascade,
    phone_digest text not null,
    applied_at bigint not null
);
create index online_applications_phone on online_applications (phone_digest, applied_at);
