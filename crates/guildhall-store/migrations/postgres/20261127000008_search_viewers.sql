-- A search keeps what it knows of a member (the private communities they
-- may read, and their communities for personal ranking) until the change
-- log says their memberships or their ranking setting changed.

CREATE FUNCTION search_memberships_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_changes (kind, item_id, created_at)
        VALUES ('viewer', OLD.member_id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
    ELSE
        INSERT INTO search_changes (kind, item_id, created_at)
        VALUES ('viewer', NEW.member_id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER search_memberships_change AFTER INSERT OR UPDATE OR DELETE ON memberships
    FOR EACH ROW EXECUTE FUNCTION search_memberships_change();

CREATE FUNCTION search_members_personal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (kind, item_id, created_at)
    VALUES ('viewer', NEW.id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
    RETURN NULL;
END $$;
CREATE TRIGGER search_members_personal AFTER UPDATE OF search_personal, status ON members
    FOR EACH ROW EXECUTE FUNCTION search_members_personal();
