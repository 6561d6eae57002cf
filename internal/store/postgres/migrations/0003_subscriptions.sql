-- 0003: the feeds and sitemaps dossier watch polls, as SQLite's 0010:
-- how the last poll went, the validators for the next, conditional,
-- request, and what each item the feed listed was when fetched (JSON).
-- The order they were added is an identity column's.
CREATE TABLE subscriptions (
	id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	url           TEXT COLLATE "C" NOT NULL UNIQUE,
	added         BIGINT NOT NULL, -- unix nanoseconds
	last_poll     BIGINT,          -- unix nanoseconds, NULL before the first
	status        TEXT NOT NULL DEFAULT '',
	error         TEXT NOT NULL DEFAULT '',
	new_articles  INTEGER NOT NULL DEFAULT 0,
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	items         TEXT NOT NULL DEFAULT ''
);
