-- A search keeps what it knows of a member (the private communities they
-- may read, and their communities for personal ranking) until the change
-- log says their memberships or their ranking setting changed.

CREATE TRIGGER search_memberships_insert AFTER INSERT ON memberships BEGIN
    INSERT INTO search_changes (kind, item_id, created_at) VALUES ('viewer', NEW.member_id, unixepoch());
END;

CREATE TRIGGER search_memberships_update AFTER UPDATE ON memberships BEGIN
    INSERT INTO search_changes (kind, item_id, created_at) VALUES ('viewer', NEW.member_id, unixepoch());
END;

CREATE TRIGGER search_memberships_delete AFTER DELETE ON memberships BEGIN
    INSERT INTO search_changes (kind, item_id, created_at) VALUES ('viewer', OLD.member_id, unixepoch());
END;

CREATE TRIGGER search_members_personal AFTER UPDATE OF search_personal, status ON members BEGIN
    INSERT INTO search_changes (kind, item_id, created_at) VALUES ('viewer', NEW.id, unixepoch());
END;
