-- 0005: outlet templates, as SQLite's 0012: the paragraphs a template
-- took out of an article (store.EncodeFurniture, NULL for none), each
-- outlet's template, and the traces of articles cleaned again.
ALTER TABLE articles ADD COLUMN furniture TEXT;

CREATE TABLE templates (
	outlet     TEXT COLLATE "C" PRIMARY KEY,
	version    TEXT COLLATE "C" NOT NULL,
	lines      TEXT NOT NULL,
	learned_at BIGINT NOT NULL,
	pages      INTEGER NOT NULL,
	fresh      INTEGER NOT NULL
);

CREATE TABLE recleans (
	seq        BIGSERIAL PRIMARY KEY,
	article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	at         BIGINT NOT NULL,
	version    TEXT COLLATE "C" NOT NULL,
	removed    INTEGER NOT NULL,
	restored   INTEGER NOT NULL
);
CREATE INDEX recleans_article ON recleans(article_id, seq);

-- Articles committed per outlet since its template was last learned.
CREATE TABLE template_taught (
	outlet TEXT COLLATE "C" PRIMARY KEY,
	n      INTEGER NOT NULL
);
