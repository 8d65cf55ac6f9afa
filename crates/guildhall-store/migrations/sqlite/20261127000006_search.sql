-- Search: the search index lives beside each app instance and follows this
-- change log, which triggers fill in the same transaction as every write that
-- changes what a search may find (so no write path can forget it). Each
-- instance applies the changes after the last one it applied; old changes are
-- pruned, and an instance that falls behind them rebuilds its index.
-- Also: saved searches, and a member's choice to turn personalisation off.

CREATE TABLE search_changes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL,
    item_id    BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX search_changes_created ON search_changes (created_at);

CREATE TRIGGER search_communities_insert AFTER INSERT ON communities BEGIN
    INSERT INTO search_changes (kind, item_id, created_at) VALUES ('community', NEW.id, unixepoch());
END;

CREATE TRIGGER search_communities_text AFTER UPDATE OF name, purpose ON communities BEGIN
    INSERT INTO search_changes (kind, item_id, created_at) VALUES ('community', NEW.id, unixepoch());
END;

CREATE TRIGGER search_communities_scope AFTER UPDATE OF visibility, status ON communities BEGIN
    INSERT INTO search_changes (kind, item_id, created_at) VALUES ('community_scope', NEW.id, unixepoch());
END;

CREATE TRIGGER search_community_tags_insert AFTER INSERT ON community_tags BEGIN
    INSERT INTO search_changes (kind, item_id, created_at) VALUES ('community', NEW.community_id, unixepoch());
END;

CREATE TRIGGER search_community_tags_delete AFTER DELETE ON community_tags BEGIN
    INSERT INTO search_changes (kind, item_id, created_at) VALUES ('community', OLD.community_id, unixepoch());
END;

CREATE TRIGGER search_threads_update AFTER UPDATE OF title, state, community_id, kind ON threads BEGIN
    INSERT INTO search_changes (kind, item_id, created_at) VALUES ('thread', NEW.id, unixepoch());
END;

CREATE TRIGGER search_threads_delete AFTER DELETE ON threads BEGIN
    INSERT INTO search_changes (kind, item_id, created_at) VALUES ('thread', OLD.id, unixepoch());
END;

CREATE TRIGGER search_messages_insert AFTER INSERT ON messages BEGIN
    INSERT INTO search_changes (kind, item_id, created_at) VALUES ('message', NEW.id, unixepoch());
END;

CREATE TRIGGER search_messages_update AFTER UPDATE OF body, deleted_at, hidden_at, community_id, thread_id ON messages BEGIN
    INSERT INTO search_changes (kind, item_id, created_at) VALUES ('message', NEW.id, unixepoch());
END;

CREATE TRIGGER search_messages_delete AFTER DELETE ON messages BEGIN
    INSERT INTO search_changes (kind, item_id, created_at) VALUES ('message', OLD.id, unixepoch());
END;

CREATE TRIGGER search_members_insert AFTER INSERT ON members BEGIN
    INSERT INTO search_changes (kind, item_id, created_at) VALUES ('person', NEW.id, unixepoch());
END;

CREATE TRIGGER search_members_update AFTER UPDATE OF name, handle, job_title, organisation_id, status, responsibilities, bio, public_fields, hidden_fields ON members BEGIN
    INSERT INTO search_changes (kind, item_id, created_at) VALUES ('person', NEW.id, unixepoch());
END;

CREATE TRIGGER search_member_areas_insert AFTER INSERT ON member_service_areas BEGIN
    INSERT INTO search_changes (kind, item_id, created_at) VALUES ('person', NEW.member_id, unixepoch());
END;

CREATE TRIGGER search_member_areas_delete AFTER DELETE ON member_service_areas BEGIN
    INSERT INTO search_changes (kind, item_id, created_at) VALUES ('person', OLD.member_id, unixepoch());
END;

CREATE TRIGGER search_member_expertise_insert AFTER INSERT ON member_expertise BEGIN
    INSERT INTO search_changes (kind, item_id, created_at) VALUES ('person', NEW.member_id, unixepoch());
END;

CREATE TRIGGER search_member_expertise_delete AFTER DELETE ON member_expertise BEGIN
    INSERT INTO search_changes (kind, item_id, created_at) VALUES ('person', OLD.member_id, unixepoch());
END;

ALTER TABLE members ADD COLUMN search_personal BOOLEAN NOT NULL DEFAULT TRUE;

CREATE TABLE saved_searches (
    id           INTEGER PRIMARY KEY NOT NULL,
    member_id    BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    query        TEXT NOT NULL,
    label        TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    seen_at      BIGINT NOT NULL
);
CREATE INDEX saved_searches_member ON saved_searches (member_id, id);
