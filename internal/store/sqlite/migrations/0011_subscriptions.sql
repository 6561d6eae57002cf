-- 0011: the feeds and sitemaps dossier watch polls, with how the last poll
-- went and the validators for the next, conditional, request.
CREATE TABLE subscriptions (
	url           TEXT PRIMARY KEY,
	seq           INTEGER NOT NULL UNIQUE,
	added         INTEGER NOT NULL, -- unix nanoseconds
	last_poll     INTEGER,          -- unix nanoseconds, NULL before the first
	status        TEXT NOT NULL DEFAULT '',
	error         TEXT NOT NULL DEFAULT '',
	new_articles  INTEGER NOT NULL DEFAULT 0,
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT ''
);
