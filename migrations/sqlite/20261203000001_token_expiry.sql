-- A personal API token may stop working at a set time (UTC milliseconds);
-- null never. Tokens made before this had no expiry and keep none.
alter table api_tokens add column expires_at bigint;
