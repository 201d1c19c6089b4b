-- Tokens made before tokens had lifetimes kept none. Only administrators
-- may hold a token that never expires: everyone else's legacy token now
-- stops on 2027-03-03 00:00 UTC (ninety days after this release), time
-- enough to make a new one.
update api_tokens set expires_at = 1804032000000
where expires_at is null
  and revoked_at is null
  and user_id in (select id from users where role <> 'admin');
