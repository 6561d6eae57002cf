-- 0011: an article's last modification as its page states it, kept apart
-- from its first publication: a UTC instant in nanoseconds and the stated
-- offset in seconds, as pub_ns and pub_off. NULL when unknown.
ALTER TABLE articles ADD COLUMN mod_ns INTEGER;
ALTER TABLE articles ADD COLUMN mod_off INTEGER;

-- A story's view shows its articles' times: the version moves with them.
DROP TRIGGER story_version_article;
CREATE TRIGGER story_version_article AFTER UPDATE OF
	source, url, outlet_id, title, authors, contacts, pub_ns, pub_off, mod_ns, mod_off, language, text, captions,
	duplicate_of, similarity, story_id, ing_ns, ing_off ON articles BEGIN
	UPDATE counters SET value = value + 1 WHERE name = 'story_version';
	UPDATE stories SET version = (SELECT value FROM counters WHERE name = 'story_version')
		WHERE id IN (OLD.story_id, NEW.story_id);
END;
