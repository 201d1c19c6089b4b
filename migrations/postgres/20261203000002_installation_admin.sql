-- 平台管理员: the administrators who keep what every county of the
-- installation shares (ladder, categories, colour scheme, calendar,
-- settings) and open new counties. Granted on the command line
-- (`fengqiao installation-admin --user NAME`); nobody has it after the upgrade.
alter table users add column installation_admin bigint not null default 0 check (installation_admin in (0, 1));
