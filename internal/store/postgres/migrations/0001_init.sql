-- 0001: the whole Dossier schema as of SQLite's migration 0008, in
-- PostgreSQL's terms. Keys and names are COLLATE "C" so that they order
-- and range by bytes, as SQLite does: Resolve's prefix ranges and every
-- ORDER BY on an ID depend on it. Times are unix nanoseconds with the
-- offset they were stated in, as in SQLite.

CREATE TABLE outlets (
	id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name TEXT COLLATE "C" NOT NULL UNIQUE
);

CREATE TABLE speakers (
	id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name TEXT COLLATE "C" NOT NULL UNIQUE,
	-- name_tok is query.Tokens(name) joined by spaces, for speaker:.
	name_tok TEXT COLLATE "C" NOT NULL
);

CREATE TABLE stories (
	id         TEXT COLLATE "C" PRIMARY KEY,
	-- ord is the order stories were made in: what breaks a tie of
	-- created, as SQLite's rowid does.
	ord        BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
	title      TEXT NOT NULL,
	-- created is the seq of the article that opened the story.
	created    BIGINT NOT NULL,
	comparison BYTEA,
	-- tally is store.EncodeTally; size, first_ns and last_ns repeat it to
	-- order and filter by (store.Tally.SortKeys).
	tally      BYTEA,
	size       BIGINT NOT NULL DEFAULT 0,
	first_ns   BIGINT NOT NULL DEFAULT 0,
	last_ns    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX stories_uncompared ON stories(created, ord) WHERE comparison IS NULL;
CREATE INDEX stories_recent ON stories(last_ns, created, id);
CREATE INDEX stories_size ON stories(size DESC, created, ord);

-- Ingest order: a sequence, never MAX()+1, so that a removed article's
-- number is never handed out again.
CREATE SEQUENCE article_seq;

CREATE TABLE articles (
	id           TEXT COLLATE "C" PRIMARY KEY,
	seq          BIGINT NOT NULL UNIQUE,
	source       TEXT NOT NULL,
	url          TEXT NOT NULL,
	outlet_id    BIGINT REFERENCES outlets(id),
	title        TEXT NOT NULL,
	authors      TEXT,
	contacts     TEXT,
	pub_ns       BIGINT,
	pub_off      INTEGER,
	language     TEXT COLLATE "C" NOT NULL,
	text         TEXT NOT NULL,
	captions     TEXT,
	fingerprint  TEXT COLLATE "C" NOT NULL,
	duplicate_of TEXT COLLATE "C" NOT NULL DEFAULT '',
	similarity   DOUBLE PRECISION NOT NULL DEFAULT 0,
	story_id     TEXT COLLATE "C" REFERENCES stories(id),
	ing_ns       BIGINT,
	ing_off      INTEGER,
	signature    BYTEA,
	features     BYTEA,
	source_key   TEXT COLLATE "C" NOT NULL DEFAULT '',
	digest       TEXT COLLATE "C" NOT NULL DEFAULT '',
	-- Search: the title's and text's query.Tokens joined by spaces, which
	-- phrases are checked against exactly, and their lexemes with
	-- positions (title weighted A) for the GIN index and ranking.
	title_tok    TEXT COLLATE "C" NOT NULL DEFAULT '',
	text_tok     TEXT COLLATE "C" NOT NULL DEFAULT '',
	search       TSVECTOR NOT NULL DEFAULT ''
);
CREATE INDEX articles_fingerprint ON articles(fingerprint, seq);
CREATE INDEX articles_story ON articles(story_id, seq);
CREATE INDEX articles_canonical ON articles(seq) WHERE duplicate_of = '';
CREATE INDEX articles_copies ON articles(duplicate_of, seq) WHERE duplicate_of <> '';
-- Search without a term lists newest first, undated last: the order
-- these indexes hold.
CREATE INDEX articles_published ON articles(pub_ns DESC NULLS LAST, seq DESC);
CREATE INDEX articles_outlet_published ON articles(outlet_id, pub_ns DESC NULLS LAST, seq DESC);
CREATE INDEX articles_legacy ON articles(seq) WHERE source_key = '';
CREATE INDEX articles_search ON articles USING GIN (search);

CREATE TABLE quotes (
	article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	ordinal    INTEGER NOT NULL,
	text       TEXT NOT NULL,
	speaker_id BIGINT REFERENCES speakers(id),
	start      BIGINT NOT NULL,
	"end"      BIGINT NOT NULL,
	cue        TEXT NOT NULL,
	partial    BOOLEAN NOT NULL,
	role       TEXT NOT NULL DEFAULT '',
	given      TEXT NOT NULL DEFAULT '',
	text_tok   TEXT COLLATE "C" NOT NULL DEFAULT '',
	search     TSVECTOR NOT NULL DEFAULT '',
	PRIMARY KEY (article_id, ordinal)
);
CREATE INDEX quotes_speaker ON quotes(speaker_id);
CREATE INDEX quotes_search ON quotes USING GIN (search);

CREATE TABLE aliases (
	kind TEXT COLLATE "C" NOT NULL,
	old  TEXT COLLATE "C" NOT NULL,
	id   TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (kind, old)
);
CREATE INDEX aliases_target ON aliases(kind, id);

CREATE TABLE sources (
	key        TEXT COLLATE "C" PRIMARY KEY,
	digest     TEXT COLLATE "C" NOT NULL,
	article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE
);
CREATE INDEX sources_article ON sources(article_id);

CREATE TABLE moves (
	seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	article_id TEXT COLLATE "C" NOT NULL,
	from_story TEXT COLLATE "C" NOT NULL,
	to_story   TEXT COLLATE "C" NOT NULL,
	reason     TEXT NOT NULL,
	at         TEXT NOT NULL
);
CREATE INDEX moves_from ON moves(from_story, seq);
CREATE INDEX moves_to   ON moves(to_story, seq);

CREATE TABLE story_outlets (
	outlet_id BIGINT NOT NULL,
	story_id  TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (outlet_id, story_id)
);

-- The streaming stages' state. Terms and keys are bytes: the stages may
-- cut them anywhere, not only between characters.
CREATE TABLE counters (
	name  TEXT COLLATE "C" PRIMARY KEY,
	value BIGINT NOT NULL
);
-- Terms by store.TermKey, as in SQLite: a store moves with its counts.
CREATE TABLE terms (
	h BIGINT PRIMARY KEY,
	n BIGINT NOT NULL
);
CREATE TABLE story_states (
	story_id TEXT COLLATE "C" PRIMARY KEY,
	state    BYTEA NOT NULL
);
CREATE TABLE story_keys (
	key      BYTEA NOT NULL,
	story_id TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (key, story_id)
);
CREATE INDEX story_keys_story ON story_keys(story_id);
CREATE TABLE story_key_counts (
	key BYTEA PRIMARY KEY,
	n   BIGINT NOT NULL
);
-- Bands in the order they were first set: ord, from a sequence.
CREATE SEQUENCE band_ord;
CREATE TABLE article_bands (
	ord        BIGINT PRIMARY KEY,
	article_id TEXT COLLATE "C" NOT NULL UNIQUE,
	bands      BIGINT[] NOT NULL
);
CREATE TABLE band_articles (
	band BIGINT NOT NULL,
	ord  BIGINT NOT NULL,
	PRIMARY KEY (band, ord)
);

-- Who holds the writer lock (an advisory lock): backend is the holder's
-- pg_backend_pid, checked against pg_locks so that a dead holder's row
-- is never reported.
CREATE TABLE writer_lock (
	backend INTEGER PRIMARY KEY,
	pid     INTEGER NOT NULL,
	host    TEXT NOT NULL,
	command TEXT NOT NULL,
	since   TIMESTAMPTZ NOT NULL
);
