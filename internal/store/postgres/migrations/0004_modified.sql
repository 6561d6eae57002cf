-- 0004: an article's last modification as its page states it, as
-- SQLite's 0011: a UTC instant in nanoseconds and the stated offset in
-- seconds, NULL when unknown.
ALTER TABLE articles ADD COLUMN mod_ns BIGINT, ADD COLUMN mod_off INTEGER;
