-- 0008: leaner streaming state.
--
-- Story keys lose their time of giving (no lookup needs their order) and get
-- a count per key, so that a key more stories have than a lookup's limit
-- costs one row to skip, and replacing a story's keys writes only the keys
-- that changed.
CREATE TABLE story_keys_new (
	key      TEXT NOT NULL,
	story_id TEXT NOT NULL,
	PRIMARY KEY (key, story_id)
) WITHOUT ROWID;
INSERT INTO story_keys_new(key, story_id) SELECT DISTINCT key, story_id FROM story_keys;
DROP TABLE story_keys;
ALTER TABLE story_keys_new RENAME TO story_keys;

CREATE TABLE story_key_counts (
	key TEXT PRIMARY KEY,
	n   INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO story_key_counts(key, n) SELECT key, COUNT(*) FROM story_keys GROUP BY key;

CREATE TABLE story_keysets_new (
	story_id TEXT PRIMARY KEY,
	keys     BLOB NOT NULL
) WITHOUT ROWID;
INSERT INTO story_keysets_new(story_id, keys) SELECT story_id, keys FROM story_keysets;
DROP TABLE story_keysets;
ALTER TABLE story_keysets_new RENAME TO story_keysets;
DELETE FROM counters WHERE name = 'state_change';

-- Band rows name their article by its band order (ord), an integer, not by
-- its text ID; ord is the rowid of article_bands, which maps it back.
--
-- Band keys are random: rows inserted straight into one b-tree of all bands
-- dirty a page each, so that every commit rewrote some 67 pages per
-- original once the table outgrew a batch. Rows go to a small level 0
-- instead, whose pages stay few and hot, and a level is merged in key order
-- into the next, fanout times larger, when it fills (see compactBands):
-- each row is rewritten a few times, in full pages. band_levels counts each
-- level's rows; a lookup reads every level in use.
CREATE TABLE band_articles_new (
	level INTEGER NOT NULL,
	band  INTEGER NOT NULL,
	ord   INTEGER NOT NULL,
	PRIMARY KEY (level, band, ord)
) WITHOUT ROWID;
INSERT INTO band_articles_new(level, band, ord) SELECT 0, band, ord FROM band_articles;
DROP TABLE band_articles;
ALTER TABLE band_articles_new RENAME TO band_articles;

CREATE TABLE band_levels (
	level INTEGER PRIMARY KEY,
	n     INTEGER NOT NULL
);
INSERT INTO band_levels(level, n) SELECT 0, COUNT(*) FROM band_articles;

CREATE TABLE article_bands_new (
	ord        INTEGER PRIMARY KEY,
	article_id TEXT NOT NULL UNIQUE,
	bands      BLOB NOT NULL
);
INSERT INTO article_bands_new(ord, article_id, bands) SELECT ord, article_id, bands FROM article_bands;
DROP TABLE article_bands;
ALTER TABLE article_bands_new RENAME TO article_bands;
