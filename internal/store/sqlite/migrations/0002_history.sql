-- 0002: what lets a writer skip documents already read, keep old names
-- working, account for every article leaving a story, and number articles
-- without ever reusing a number.

-- The state of the last Put: where the document was read and a digest of
-- its bytes. Stores made by 0001 have neither.
ALTER TABLE articles ADD COLUMN source_key TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN digest     TEXT NOT NULL DEFAULT '';

-- Copies: an original's copies in ingest order. Canonical articles (the
-- bulk) are left out of the index.
CREATE INDEX articles_copies ON articles(duplicate_of, seq) WHERE duplicate_of <> '';

-- Old names of articles and stories. Keyed by kind too, so that an old
-- article name and an old story name never collide.
CREATE TABLE aliases (
	kind TEXT NOT NULL, -- 'article' or 'story'
	old  TEXT NOT NULL,
	id   TEXT NOT NULL,
	PRIMARY KEY (kind, old)
) WITHOUT ROWID;

-- Alias: the names pointing at a name that becomes an alias in turn.
CREATE INDEX aliases_target ON aliases(kind, id);

-- Seen: documents by source key. One article may have been read under
-- several keys (the same page saved twice).
CREATE TABLE sources (
	key        TEXT PRIMARY KEY,
	digest     TEXT NOT NULL,
	article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE INDEX sources_article ON sources(article_id);

-- Every change of an existing article's story, and every removal. Rows are
-- never deleted, so the rowid alone orders them.
CREATE TABLE moves (
	seq        INTEGER PRIMARY KEY,
	article_id TEXT NOT NULL,
	from_story TEXT NOT NULL,
	to_story   TEXT NOT NULL,
	reason     TEXT NOT NULL,
	at         TEXT NOT NULL
);

CREATE INDEX moves_from ON moves(from_story, seq);
CREATE INDEX moves_to   ON moves(to_story, seq);

-- Counters only go up: removing the newest article must not hand its seq
-- to the next one.
CREATE TABLE counters (
	name  TEXT PRIMARY KEY,
	value INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO counters(name, value) SELECT 'article_seq', COALESCE(MAX(seq), 0) FROM articles;
