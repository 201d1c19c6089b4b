-- Chinese full-text search over a case's code, title, description and party
-- names: the text is kept on the case with a pg_trgm GIN index, so
-- `ilike '%…%'` of three or more characters is an index search.
create extension if not exists pg_trgm;
alter table cases add column search_text text not null default '';
create index cases_search_text on cases using gin (search_text gin_trgm_ops);
