-- Forums and blogs: a thread (a forum topic or a blog post) holds messages in
-- order (position 0 is its opening text; then replies or comments). Edits
-- keep the earlier version; members react, follow and read; anyone who may
-- read a message can flag it; facilitators hide messages and mute members.

ALTER TABLE members ADD COLUMN handle TEXT;
UPDATE members SET handle = 'member-' || id::text;
CREATE UNIQUE INDEX members_handle ON members (handle);

CREATE TABLE threads (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id  BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    author_id     BIGINT NOT NULL REFERENCES members (id),
    title         TEXT NOT NULL,
    summary       TEXT NOT NULL,
    state         TEXT NOT NULL,
    is_question   BOOLEAN NOT NULL DEFAULT FALSE,
    pinned        BOOLEAN NOT NULL DEFAULT FALSE,
    locked        BOOLEAN NOT NULL DEFAULT FALSE,
    accepted_id   BIGINT,
    reply_count   BIGINT NOT NULL DEFAULT 0,
    last_position BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    published_at  BIGINT,
    activity_at   BIGINT NOT NULL
);
-- The forum's index walks this in order and stops after a page; the columns
-- after `id` let its filters and count read the index alone.
CREATE INDEX threads_listing ON threads (community_id, kind, pinned, activity_at, id, state, author_id, is_question, accepted_id);
CREATE INDEX threads_author ON threads (author_id, kind, state, published_at);

CREATE TABLE thread_tags (
    thread_id BIGINT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    tag       TEXT NOT NULL,
    PRIMARY KEY (thread_id, tag)
);
CREATE INDEX thread_tags_tag ON thread_tags (tag, thread_id);

CREATE TABLE messages (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    thread_id     BIGINT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    community_id  BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    position      BIGINT NOT NULL,
    author_id     BIGINT NOT NULL REFERENCES members (id),
    body          TEXT NOT NULL,
    html          TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    edited_at     BIGINT,
    deleted_at    BIGINT,
    hidden_at     BIGINT,
    hidden_by     BIGINT REFERENCES members (id),
    hidden_reason TEXT,
    useful_count  BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX messages_position ON messages (thread_id, position);
CREATE INDEX messages_community ON messages (community_id, created_at);
CREATE INDEX messages_author ON messages (author_id, created_at);

CREATE TABLE message_revisions (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id BIGINT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    title      TEXT,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    replaced_at BIGINT NOT NULL
);
CREATE INDEX message_revisions_message ON message_revisions (message_id, id);

CREATE TABLE reactions (
    message_id BIGINT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    member_id  BIGINT NOT NULL REFERENCES members (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (message_id, member_id)
);

CREATE TABLE mentions (
    message_id BIGINT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    member_id  BIGINT NOT NULL REFERENCES members (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (message_id, member_id)
);
CREATE INDEX mentions_member ON mentions (member_id, created_at);

CREATE TABLE thread_follows (
    thread_id  BIGINT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    member_id  BIGINT NOT NULL REFERENCES members (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (thread_id, member_id)
);
CREATE INDEX thread_follows_member ON thread_follows (member_id, thread_id);

CREATE TABLE thread_reads (
    member_id BIGINT NOT NULL REFERENCES members (id),
    thread_id BIGINT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    position  BIGINT NOT NULL,
    PRIMARY KEY (member_id, thread_id)
);

CREATE TABLE flags (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id   BIGINT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    flagger_id   BIGINT NOT NULL REFERENCES members (id),
    reason       TEXT NOT NULL,
    status       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    decided_by   BIGINT REFERENCES members (id),
    decided_at   BIGINT
);
CREATE INDEX flags_queue ON flags (community_id, status, created_at);
CREATE UNIQUE INDEX flags_one_open ON flags (message_id, flagger_id) WHERE status = 'open';

CREATE TABLE mutes (
    community_id BIGINT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    member_id    BIGINT NOT NULL REFERENCES members (id),
    muted_by     BIGINT NOT NULL REFERENCES members (id),
    reason       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    until        BIGINT NOT NULL,
    PRIMARY KEY (community_id, member_id)
);
