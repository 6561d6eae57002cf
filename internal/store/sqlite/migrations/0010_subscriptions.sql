-- 0010: the feeds and sitemaps dossier watch polls, with how the last poll
-- went, the validators for the next, conditional, request, and what each
-- item the feed listed was when it was fetched (JSON: link to guid and
-- times). The order they were added is the rowid's, never MAX()+1.
CREATE TABLE subscriptions (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	url           TEXT NOT NULL UNIQUE,
	added         INTEGER NOT NULL, -- unix nanoseconds
	last_poll     INTEGER,          -- unix nanoseconds, NULL before the first
	status        TEXT NOT NULL DEFAULT '',
	error         TEXT NOT NULL DEFAULT '',
	new_articles  INTEGER NOT NULL DEFAULT 0,
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	items         TEXT NOT NULL DEFAULT ''
);
