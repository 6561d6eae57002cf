-- 0005: the streaming stages' state, so that no run replays the archive:
-- term document frequencies, stories' clustering state and lookup keys,
-- articles' LSH bands. The document count is the counter 'docs'.

-- Terms by a 64-bit hash of their text (termKey): an integer key is the
-- table's own b-tree, several times faster to look up than text. Two terms
-- share a count only on a hash collision, about one chance in 10^6 among
-- ten million terms.
CREATE TABLE terms (
	h INTEGER PRIMARY KEY,
	n INTEGER NOT NULL
);

-- States may be large: a rowid table keeps them out of the key's b-tree.
CREATE TABLE story_states (
	story_id TEXT PRIMARY KEY,
	state    BLOB NOT NULL
);

-- A story's keys, by key, the most recently given first. changed is the
-- counter 'state_change' when the keys were given.
CREATE TABLE story_keys (
	key      TEXT NOT NULL,
	changed  INTEGER NOT NULL,
	story_id TEXT NOT NULL,
	PRIMARY KEY (key, changed, story_id)
) WITHOUT ROWID;

-- What replacing a story's keys must delete. keys is the key list encoded
-- as length-prefixed strings.
CREATE TABLE story_keysets (
	story_id TEXT PRIMARY KEY,
	changed  INTEGER NOT NULL,
	keys     BLOB NOT NULL
) WITHOUT ROWID;

-- Articles by band, in the order their bands were first set (ord, the
-- counter 'band_ord'). Bands are uint64 stored as int64 bit patterns.
CREATE TABLE band_articles (
	band       INTEGER NOT NULL,
	ord        INTEGER NOT NULL,
	article_id TEXT NOT NULL,
	PRIMARY KEY (band, ord)
) WITHOUT ROWID;

-- What replacing an article's bands must delete: bands is 8 bytes each,
-- little-endian.
CREATE TABLE article_bands (
	article_id TEXT PRIMARY KEY,
	ord        INTEGER NOT NULL,
	bands      BLOB NOT NULL
) WITHOUT ROWID;
