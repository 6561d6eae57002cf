-- 0006: the writer lock's turns (store.OthersWatcher): turns counts the
-- times the lock passed from one store handle to another, holder is the
-- handle that took it last. A writer that takes the lock again with no one
-- in between leaves turns as it was.
CREATE TABLE writer_turns (
	id     INTEGER PRIMARY KEY CHECK (id = 1),
	turns  BIGINT NOT NULL,
	holder TEXT COLLATE "C" NOT NULL
);
