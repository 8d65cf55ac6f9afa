-- Whether the people index is complete, likeness rows included: set by a
-- rebuild when it ends, and here for an index that needs none (empty, or
-- already holding likeness rows). `serve` rebuilds an index without it.
INSERT INTO settings (key, value)
SELECT 'people_index', 'complete'
 WHERE NOT EXISTS (SELECT 1 FROM profile_postings) OR EXISTS (SELECT 1 FROM profile_likeness);
