-- 0009: a version per story that every write changing what the story
-- shows moves on, so that a reader can cache a story's view and check it
-- with one row; and an index that makes HasLegacy a lookup, not a scan.

-- version is drawn from one counter that only goes up, so a story dropped
-- and made again under its ID never gets back a version it had.
ALTER TABLE stories ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
INSERT INTO counters(name, value) VALUES ('story_version', 0) ON CONFLICT(name) DO NOTHING;

CREATE TRIGGER story_version_new AFTER INSERT ON stories BEGIN
	UPDATE counters SET value = value + 1 WHERE name = 'story_version';
	UPDATE stories SET version = (SELECT value FROM counters WHERE name = 'story_version') WHERE id = NEW.id;
END;

-- tally follows the articles; title and comparison are set on their own.
CREATE TRIGGER story_version_row AFTER UPDATE OF title, tally, comparison ON stories BEGIN
	UPDATE counters SET value = value + 1 WHERE name = 'story_version';
	UPDATE stories SET version = (SELECT value FROM counters WHERE name = 'story_version') WHERE id = NEW.id;
END;

CREATE TRIGGER story_version_article_in AFTER INSERT ON articles WHEN NEW.story_id IS NOT NULL BEGIN
	UPDATE counters SET value = value + 1 WHERE name = 'story_version';
	UPDATE stories SET version = (SELECT value FROM counters WHERE name = 'story_version') WHERE id = NEW.story_id;
END;

CREATE TRIGGER story_version_article_out AFTER DELETE ON articles WHEN OLD.story_id IS NOT NULL BEGIN
	UPDATE counters SET value = value + 1 WHERE name = 'story_version';
	UPDATE stories SET version = (SELECT value FROM counters WHERE name = 'story_version') WHERE id = OLD.story_id;
END;

-- The columns a story's view reads; the streaming state's are left out.
CREATE TRIGGER story_version_article AFTER UPDATE OF
	source, url, outlet_id, title, authors, contacts, pub_ns, pub_off, language, text, captions,
	duplicate_of, similarity, story_id, ing_ns, ing_off ON articles BEGIN
	UPDATE counters SET value = value + 1 WHERE name = 'story_version';
	UPDATE stories SET version = (SELECT value FROM counters WHERE name = 'story_version')
		WHERE id IN (OLD.story_id, NEW.story_id);
END;

-- A rename touches quotes alone. Quotes are otherwise written with their
-- article's row, which moves the version already.
CREATE TRIGGER story_version_quote AFTER UPDATE ON quotes BEGIN
	UPDATE counters SET value = value + 1 WHERE name = 'story_version';
	UPDATE stories SET version = (SELECT value FROM counters WHERE name = 'story_version')
		WHERE id = (SELECT story_id FROM articles WHERE id = NEW.article_id);
END;

-- HasLegacy: articles stored before source keys, none in a new store.
CREATE INDEX articles_legacy ON articles(seq) WHERE source_key = '';
