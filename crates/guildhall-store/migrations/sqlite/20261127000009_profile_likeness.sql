-- What "people like me" compares for each member: the ids of their likeness
-- terms (the words of their work, expertise tags, service areas and the
-- kind of their organisation, as members see them), sorted, as ",3,17,250,".
-- Written with the postings, in the same transaction, so that a candidate
-- is scored from one row instead of reading and stemming their profile. The
-- name's words are postings but not likeness terms: this row tells them apart.
CREATE TABLE profile_likeness (
    member_id INTEGER PRIMARY KEY NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    terms     TEXT NOT NULL
);
