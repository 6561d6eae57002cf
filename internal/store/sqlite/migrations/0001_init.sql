-- 0001: the first Dossier schema.

CREATE TABLE outlets (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);

CREATE TABLE stories (
	id      TEXT PRIMARY KEY,
	title   TEXT NOT NULL,
	-- created is the seq of the article that opened the story, so that
	-- stories of equal size sort in the order they appeared.
	created INTEGER NOT NULL
);

CREATE TABLE articles (
	id           TEXT PRIMARY KEY,
	seq          INTEGER NOT NULL UNIQUE,
	source       TEXT NOT NULL,
	url          TEXT NOT NULL,
	outlet_id    INTEGER REFERENCES outlets(id),
	title        TEXT NOT NULL,
	authors      TEXT,
	contacts     TEXT,
	published    TEXT,
	language     TEXT NOT NULL,
	text         TEXT NOT NULL,
	captions     TEXT,
	fingerprint  TEXT NOT NULL,
	duplicate_of TEXT NOT NULL DEFAULT '',
	similarity   REAL NOT NULL DEFAULT 0,
	story_id     TEXT REFERENCES stories(id),
	ingested_at  TEXT,
	signature    BLOB,
	features     BLOB
);

-- CanonicalByFingerprint: first canonical article with a fingerprint.
CREATE INDEX articles_fingerprint ON articles(fingerprint, seq);
-- Story: a story's articles in ingest order.
CREATE INDEX articles_story ON articles(story_id, seq);
-- Replay: canonical articles in ingest order.
CREATE INDEX articles_canonical ON articles(seq) WHERE duplicate_of = '';

CREATE TABLE speakers (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);

CREATE TABLE quotes (
	article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	ordinal    INTEGER NOT NULL,
	text       TEXT NOT NULL,
	speaker_id INTEGER REFERENCES speakers(id),
	start      INTEGER NOT NULL,
	"end"      INTEGER NOT NULL,
	cue        TEXT NOT NULL,
	partial    INTEGER NOT NULL,
	PRIMARY KEY (article_id, ordinal)
) WITHOUT ROWID;

-- Story speaker counts join quotes to speakers.
CREATE INDEX quotes_speaker ON quotes(speaker_id);
