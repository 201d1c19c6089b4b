-- Imports of legacy ledgers (台账) from CSV or XLSX. The file is kept under
-- files/imports/<storage_key>; `mapping` (JSON) says which column holds
-- which field; `report` (JSON) is the latest check's findings. Rows that
-- passed the check are staged in import_rows (in chunks, so progress shows
-- on every instance), then published as cases in one transaction.
create table imports (
    id integer primary key autoincrement,
    user_id integer not null references users (id),
    file_name text not null,
    storage_key text not null,
    status text not null check (status in ('uploaded', 'checked', 'running', 'done', 'failed')),
    mapping text not null default '',
    report text not null default '',
    rows_total bigint not null default 0,
    rows_staged bigint not null default 0,
    cases_made bigint not null default 0,
    created_at bigint not null,
    updated_at bigint not null
);
create index imports_user on imports (user_id, id);

create table import_rows (
    import_id integer not null references imports (id) on delete cascade,
    row_no bigint not null,
    sheet_row bigint not null,
    area_id integer not null references areas (id),
    area_path text not null,
    category_id integer not null references categories (id),
    title text not null,
    description text not null,
    address text not null,
    reported_at bigint not null,
    reported_on text not null,
    applicant_name text not null,
    applicant_phone text not null,
    applicant_id_number text not null,
    respondent_name text not null,
    respondent_phone text not null,
    search_text text not null,
    primary key (import_id, row_no)
);
