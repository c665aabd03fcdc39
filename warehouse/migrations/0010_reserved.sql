-- Placeholder for the migration number 0010, which another branch adds in parallel; the lead
-- renumbers at merge (the catalogue refuses gaps in versions).
select 1;
