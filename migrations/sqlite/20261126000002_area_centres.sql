-- The centre of an area (WGS-84, millionths of a degree), set by its
-- administrator: reports from outside (Open311) are placed in the grid
-- nearest their point.
alter table areas add column centre_lat_e6 bigint;
alter table areas add column centre_lon_e6 bigint;
