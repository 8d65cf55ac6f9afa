-- Profiles: the fields members fill in and who may see each, service areas
-- (data an administrator edits), photos, and the term index behind the people
-- finder and "people like me".

ALTER TABLE organisations ADD COLUMN region TEXT NOT NULL DEFAULT '';

ALTER TABLE members ADD COLUMN responsibilities TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN bio TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN contact TEXT NOT NULL DEFAULT '';
-- Bit sets of profile fields (guildhall_core::profile::Field): shown to
-- everyone (opted in), or to nobody. A field in neither is shown to members.
ALTER TABLE members ADD COLUMN public_fields BIGINT NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN hidden_fields BIGINT NOT NULL DEFAULT 256;
-- Set when the member has been through the profile step after registering.
ALTER TABLE members ADD COLUMN profiled_at BIGINT;

CREATE TABLE service_areas (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    position   BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
INSERT INTO service_areas (name, position, created_at) VALUES
    ('Adult social care', 1, 0),
    ('Children''s services', 2, 0),
    ('Education', 3, 0),
    ('Housing', 4, 0),
    ('Homelessness', 5, 0),
    ('Planning', 6, 0),
    ('Building control', 7, 0),
    ('Highways and transport', 8, 0),
    ('Waste and recycling', 9, 0),
    ('Environmental health', 10, 0),
    ('Trading standards', 11, 0),
    ('Licensing', 12, 0),
    ('Libraries', 13, 0),
    ('Culture and leisure', 14, 0),
    ('Public health', 15, 0),
    ('Revenues and benefits', 16, 0),
    ('Finance', 17, 0),
    ('HR', 18, 0),
    ('Legal', 19, 0),
    ('Democratic services', 20, 0),
    ('IT and digital', 21, 0),
    ('Customer services', 22, 0),
    ('Emergency planning', 23, 0),
    ('Economic development', 24, 0),
    ('Regeneration', 25, 0),
    ('Procurement', 26, 0),
    ('Communications', 27, 0),
    ('Policy and performance', 28, 0);

CREATE TABLE member_service_areas (
    member_id       BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    service_area_id BIGINT NOT NULL REFERENCES service_areas (id) ON DELETE CASCADE,
    PRIMARY KEY (member_id, service_area_id)
);

CREATE TABLE member_expertise (
    member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    tag       TEXT NOT NULL,
    position  BIGINT NOT NULL,
    PRIMARY KEY (member_id, tag)
);

CREATE TABLE member_photos (
    member_id  BIGINT PRIMARY KEY NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    image      BYTEA NOT NULL,
    updated_at BIGINT NOT NULL
);

-- The people index. Each term ("n:patel", "w:accommod", "a:5", "x:temporary
-- accommodation", "o:12", "k:county council", "r:london") holds how many
-- members have it; postings say who. Only fields members may see are indexed.
CREATE TABLE profile_terms (
    id    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    term  TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    df    BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE profile_postings (
    term_id   BIGINT NOT NULL REFERENCES profile_terms (id),
    member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    PRIMARY KEY (term_id, member_id)
);
CREATE INDEX profile_postings_member ON profile_postings (member_id);
