-- Search: the search index lives beside each app instance and follows this
-- change log, which triggers fill in the same transaction as every write that
-- changes what a search may find (so no write path can forget it). Each
-- instance applies the changes after the last one it applied; old changes are
-- pruned, and an instance that falls behind them rebuilds its index.
-- Also: saved searches, and a member's choice to turn personalisation off.

CREATE TABLE search_changes (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       TEXT NOT NULL,
    item_id    BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX search_changes_created ON search_changes (created_at);

CREATE FUNCTION search_communities_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (kind, item_id, created_at)
    VALUES ('community', NEW.id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
    RETURN NULL;
END $$;
CREATE TRIGGER search_communities_insert AFTER INSERT ON communities FOR EACH ROW EXECUTE FUNCTION search_communities_insert();

CREATE FUNCTION search_communities_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (kind, item_id, created_at)
    VALUES ('community', NEW.id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
    RETURN NULL;
END $$;
CREATE TRIGGER search_communities_text AFTER UPDATE OF name, purpose ON communities FOR EACH ROW EXECUTE FUNCTION search_communities_text();

CREATE FUNCTION search_communities_scope() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (kind, item_id, created_at)
    VALUES ('community_scope', NEW.id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
    RETURN NULL;
END $$;
CREATE TRIGGER search_communities_scope AFTER UPDATE OF visibility, status ON communities FOR EACH ROW EXECUTE FUNCTION search_communities_scope();

CREATE FUNCTION search_community_tags_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (kind, item_id, created_at)
    VALUES ('community', NEW.community_id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
    RETURN NULL;
END $$;
CREATE TRIGGER search_community_tags_insert AFTER INSERT ON community_tags FOR EACH ROW EXECUTE FUNCTION search_community_tags_insert();

CREATE FUNCTION search_community_tags_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (kind, item_id, created_at)
    VALUES ('community', OLD.community_id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
    RETURN NULL;
END $$;
CREATE TRIGGER search_community_tags_delete AFTER DELETE ON community_tags FOR EACH ROW EXECUTE FUNCTION search_community_tags_delete();

CREATE FUNCTION search_threads_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (kind, item_id, created_at)
    VALUES ('thread', NEW.id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
    RETURN NULL;
END $$;
CREATE TRIGGER search_threads_update AFTER UPDATE OF title, state, community_id, kind ON threads FOR EACH ROW EXECUTE FUNCTION search_threads_update();

CREATE FUNCTION search_threads_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (kind, item_id, created_at)
    VALUES ('thread', OLD.id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
    RETURN NULL;
END $$;
CREATE TRIGGER search_threads_delete AFTER DELETE ON threads FOR EACH ROW EXECUTE FUNCTION search_threads_delete();

CREATE FUNCTION search_messages_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (kind, item_id, created_at)
    VALUES ('message', NEW.id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
    RETURN NULL;
END $$;
CREATE TRIGGER search_messages_insert AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION search_messages_insert();

CREATE FUNCTION search_messages_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (kind, item_id, created_at)
    VALUES ('message', NEW.id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
    RETURN NULL;
END $$;
CREATE TRIGGER search_messages_update AFTER UPDATE OF body, deleted_at, hidden_at, community_id, thread_id ON messages FOR EACH ROW EXECUTE FUNCTION search_messages_update();

CREATE FUNCTION search_messages_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (kind, item_id, created_at)
    VALUES ('message', OLD.id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
    RETURN NULL;
END $$;
CREATE TRIGGER search_messages_delete AFTER DELETE ON messages FOR EACH ROW EXECUTE FUNCTION search_messages_delete();

CREATE FUNCTION search_members_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (kind, item_id, created_at)
    VALUES ('person', NEW.id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
    RETURN NULL;
END $$;
CREATE TRIGGER search_members_insert AFTER INSERT ON members FOR EACH ROW EXECUTE FUNCTION search_members_insert();

CREATE FUNCTION search_members_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (kind, item_id, created_at)
    VALUES ('person', NEW.id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
    RETURN NULL;
END $$;
CREATE TRIGGER search_members_update AFTER UPDATE OF name, handle, job_title, organisation_id, status, responsibilities, bio, public_fields, hidden_fields ON members FOR EACH ROW EXECUTE FUNCTION search_members_update();

CREATE FUNCTION search_member_areas_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (kind, item_id, created_at)
    VALUES ('person', NEW.member_id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
    RETURN NULL;
END $$;
CREATE TRIGGER search_member_areas_insert AFTER INSERT ON member_service_areas FOR EACH ROW EXECUTE FUNCTION search_member_areas_insert();

CREATE FUNCTION search_member_areas_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (kind, item_id, created_at)
    VALUES ('person', OLD.member_id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
    RETURN NULL;
END $$;
CREATE TRIGGER search_member_areas_delete AFTER DELETE ON member_service_areas FOR EACH ROW EXECUTE FUNCTION search_member_areas_delete();

CREATE FUNCTION search_member_expertise_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (kind, item_id, created_at)
    VALUES ('person', NEW.member_id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
    RETURN NULL;
END $$;
CREATE TRIGGER search_member_expertise_insert AFTER INSERT ON member_expertise FOR EACH ROW EXECUTE FUNCTION search_member_expertise_insert();

CREATE FUNCTION search_member_expertise_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (kind, item_id, created_at)
    VALUES ('person', OLD.member_id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
    RETURN NULL;
END $$;
CREATE TRIGGER search_member_expertise_delete AFTER DELETE ON member_expertise FOR EACH ROW EXECUTE FUNCTION search_member_expertise_delete();

ALTER TABLE members ADD COLUMN search_personal BOOLEAN NOT NULL DEFAULT TRUE;

CREATE TABLE saved_searches (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id    BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    query        TEXT NOT NULL,
    label        TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    seen_at      BIGINT NOT NULL
);
CREATE INDEX saved_searches_member ON saved_searches (member_id, id);
