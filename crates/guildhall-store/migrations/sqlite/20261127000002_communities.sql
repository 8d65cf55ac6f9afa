-- Communities, sub-communities, membership, requests, invitations, the
-- community audit log and break-glass grants.

CREATE TABLE communities (
    id          INTEGER PRIMARY KEY NOT NULL,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    visibility  TEXT NOT NULL,
    join_policy TEXT NOT NULL,
    parent_id   BIGINT REFERENCES communities (id),
    tools       TEXT NOT NULL,
    status      TEXT NOT NULL,
    created_by  BIGINT NOT NULL REFERENCES members (id),
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    activity_at BIGINT NOT NULL,
    archived_at BIGINT,
    member_count BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX communities_parent ON communities (parent_id);
CREATE INDEX communities_listing ON communities (status, visibility, activity_at);
CREATE INDEX communities_name ON communities (name);

CREATE TABLE community_tags (
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    tag          TEXT NOT NULL,
    PRIMARY KEY (community_id, tag)
);
CREATE INDEX community_tags_tag ON community_tags (tag, community_id);

CREATE TABLE memberships (
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    member_id    BIGINT NOT NULL REFERENCES members (id),
    role         TEXT NOT NULL,
    joined_at    BIGINT NOT NULL,
    PRIMARY KEY (community_id, member_id)
);
CREATE INDEX memberships_member ON memberships (member_id, community_id);

CREATE TABLE join_requests (
    id           INTEGER PRIMARY KEY NOT NULL,
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    member_id    BIGINT NOT NULL REFERENCES members (id),
    message      TEXT NOT NULL,
    status       TEXT NOT NULL,
    decided_by   BIGINT REFERENCES members (id),
    reason       TEXT,
    created_at   BIGINT NOT NULL,
    decided_at   BIGINT
);
CREATE INDEX join_requests_queue ON join_requests (community_id, status, created_at);
CREATE UNIQUE INDEX join_requests_one_open ON join_requests (community_id, member_id) WHERE status = 'pending';

CREATE TABLE invitations (
    id           INTEGER PRIMARY KEY NOT NULL,
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    email        TEXT NOT NULL,
    member_id    BIGINT REFERENCES members (id),
    invited_by   BIGINT NOT NULL REFERENCES members (id),
    status       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    decided_at   BIGINT
);
CREATE INDEX invitations_email ON invitations (email, status);
CREATE INDEX invitations_member ON invitations (member_id, status);
CREATE UNIQUE INDEX invitations_one_open ON invitations (community_id, email) WHERE status = 'pending';

CREATE TABLE community_audit (
    id           INTEGER PRIMARY KEY NOT NULL,
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    actor_id     BIGINT REFERENCES members (id),
    action       TEXT NOT NULL,
    summary      TEXT NOT NULL,
    detail       TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX community_audit_community ON community_audit (community_id, id);

CREATE TABLE break_glass_grants (
    id           INTEGER PRIMARY KEY NOT NULL,
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    admin_id     BIGINT NOT NULL REFERENCES members (id),
    reason       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX break_glass_admin ON break_glass_grants (admin_id, expires_at);

-- The community audit log is append-only; only deleting a whole community removes its entries.
CREATE TRIGGER community_audit_no_update BEFORE UPDATE ON community_audit
BEGIN SELECT RAISE(ABORT, 'community_audit is append-only'); END;
