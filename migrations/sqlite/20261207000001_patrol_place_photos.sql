-- Where a patrol was ("use my location" or typed), and its photos (巡查照片),
-- kept like the case file's attachments: the bytes outside the database
-- under a random storage key, the row here.
alter table patrols add column latitude real;
alter table patrols add column longitude real;

create table patrol_photos (
    id integer primary key autoincrement,
    patrol_id integer not null references patrols (id) on delete cascade,
    file_name text not null,
    content_type text not null,
    size_bytes bigint not null check (size_bytes > 0),
    storage_key text not null unique,
    added_by integer not null references users (id),
    added_at bigint not null
);
create index patrol_photos_patrol on patrol_photos (patrol_id, id);
