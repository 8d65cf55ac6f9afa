-- Key sources: trusted websites (an RSS or Atom feed, or a sitemap) that a
-- community's facilitators register for it (community_id set) and site
-- administrators for the whole service (community_id NULL), fetched in the
-- background. Each source keeps what the next fetch needs (ETag,
-- Last-Modified, when) and how the last one went; its items are what the
-- search index finds, so triggers log every change to them as migration 6's do.

CREATE TABLE sources (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id    BIGINT REFERENCES communities (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('feed', 'sitemap')),
    url             TEXT NOT NULL,
    name            TEXT NOT NULL,
    added_by        BIGINT REFERENCES members (id) ON DELETE SET NULL,
    created_at      BIGINT NOT NULL,
    etag            TEXT,
    last_modified   TEXT,
    last_fetched_at BIGINT,
    next_fetch_at   BIGINT NOT NULL,
    last_error      TEXT,
    failures        BIGINT NOT NULL DEFAULT 0,
    -- 'new' (not fetched yet), 'ok' or 'failing'.
    status          TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'ok', 'failing'))
);
-- One web address once per community, and once for the whole service.
CREATE UNIQUE INDEX sources_url ON sources (COALESCE(community_id, 0), url);
CREATE INDEX sources_due ON sources (next_fetch_at);

CREATE TABLE source_items (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id    BIGINT NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    url          TEXT NOT NULL,
    title        TEXT NOT NULL,
    summary      TEXT NOT NULL DEFAULT '',
    -- A sitemap page's main text (empty for feed entries).
    text         TEXT NOT NULL DEFAULT '',
    published_at BIGINT NOT NULL,
    fetched_at   BIGINT NOT NULL,
    UNIQUE (source_id, url)
);

CREATE FUNCTION search_source_items_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (kind, item_id, created_at)
    VALUES ('source_item', NEW.id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
    RETURN NULL;
END $$;
CREATE TRIGGER search_source_items_insert AFTER INSERT ON source_items FOR EACH ROW EXECUTE FUNCTION search_source_items_insert();

CREATE FUNCTION search_source_items_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (kind, item_id, created_at)
    VALUES ('source_item', NEW.id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
    RETURN NULL;
END $$;
CREATE TRIGGER search_source_items_update AFTER UPDATE OF source_id, url, title, summary, text, published_at ON source_items FOR EACH ROW EXECUTE FUNCTION search_source_items_update();

CREATE FUNCTION search_source_items_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_changes (kind, item_id, created_at)
    VALUES ('source_item', OLD.id, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT));
    RETURN NULL;
END $$;
CREATE TRIGGER search_source_items_delete AFTER DELETE ON source_items FOR EACH ROW EXECUTE FUNCTION search_source_items_delete();
