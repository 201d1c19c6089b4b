-- Chinese full-text search over a case's code, title, description and party
-- names: the text is kept on the case, and an FTS5 trigram index (any
-- substring of three or more characters) is kept beside it, both written in
-- the same transaction as the change.
alter table cases add column search_text text not null default '';
create virtual table case_search using fts5 (search_text, tokenize = 'trigram');
