-- 0004: times as instants that sort and filter, and each story's aggregate
-- kept on write so that listing a story reads one row.

-- A time is its instant in unix nanoseconds with the offset it was stated
-- in (seconds east of UTC); both NULL when unknown.
ALTER TABLE articles ADD COLUMN pub_ns  INTEGER;
ALTER TABLE articles ADD COLUMN pub_off INTEGER;
ALTER TABLE articles ADD COLUMN ing_ns  INTEGER;
ALTER TABLE articles ADD COLUMN ing_off INTEGER;
-- step: times
ALTER TABLE articles DROP COLUMN published;
ALTER TABLE articles DROP COLUMN ingested_at;

-- tally is store.EncodeTally of the story's articles: size, outlets, first
-- and last publication. size, first_ns and last_ns repeat it for SQL to
-- order and filter by; an undated story has first_ns the largest integer
-- and last_ns the smallest, so it sorts last and no time range meets it.
ALTER TABLE stories ADD COLUMN size     INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN first_ns INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN last_ns  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN tally    BLOB;

-- StoriesPage's outlet filter: the stories with an article of an outlet.
CREATE TABLE story_outlets (
	outlet_id INTEGER NOT NULL,
	story_id  TEXT NOT NULL,
	PRIMARY KEY (outlet_id, story_id)
) WITHOUT ROWID;
-- step: tallies

-- StoriesPage: newest first.
CREATE INDEX stories_recent ON stories(last_ns, created, id);
-- EachStory: the largest first.
CREATE INDEX stories_size ON stories(size DESC, created);
