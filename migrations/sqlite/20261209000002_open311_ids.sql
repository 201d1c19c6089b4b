-- Open311 (GeoReport v2): each case that Open311 shows gets an opaque,
-- unguessable service_request_id, so the case's own code stays internal and
-- an id a resident keeps opens only its request's status fields.
create table open311_ids (
    case_id integer primary key references cases (id) on delete cascade,
    public_id text not null unique
);
