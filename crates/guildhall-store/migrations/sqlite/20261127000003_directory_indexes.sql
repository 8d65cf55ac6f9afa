-- The directory lists by latest activity or by name: indexes in those orders
-- let it stop after one page instead of sorting every community.
CREATE INDEX communities_by_activity ON communities (status, activity_at, id);
CREATE INDEX communities_by_name ON communities (status, lower(name), id);
