-- 0012: outlet templates. An article keeps the paragraphs its outlet's
-- template took out of its text (store.EncodeFurniture, NULL for none),
-- so that the text as cleaned before any template can be rebuilt.
ALTER TABLE articles ADD COLUMN furniture TEXT;

-- One template per outlet: its lines as a JSON array, learned_at in UTC
-- nanoseconds, pages the number it was learned from, fresh the articles
-- the outlet got since.
CREATE TABLE templates (
	outlet     TEXT PRIMARY KEY,
	version    TEXT NOT NULL,
	lines      TEXT NOT NULL,
	learned_at INTEGER NOT NULL,
	pages      INTEGER NOT NULL,
	fresh      INTEGER NOT NULL
) WITHOUT ROWID;

-- An article cleaned again when its outlet's template changed.
CREATE TABLE recleans (
	seq        INTEGER PRIMARY KEY,
	article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	at         INTEGER NOT NULL,
	version    TEXT NOT NULL,
	removed    INTEGER NOT NULL,
	restored   INTEGER NOT NULL
);
CREATE INDEX recleans_article ON recleans(article_id, seq);

-- Articles committed per outlet since its template was last learned.
CREATE TABLE template_taught (
	outlet TEXT PRIMARY KEY,
	n      INTEGER NOT NULL
);
