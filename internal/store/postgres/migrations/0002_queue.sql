-- 0002: a queue of raw documents for many worker processes (issue 12,
-- part 3). Any source enqueues documents in sequence order; workers
-- claim them with a lease that expires (FOR UPDATE SKIP LOCKED), run the
-- per-article stages and store a result; the one writer (the writer lock's
-- holder) applies results in sequence order and deletes them in the same
-- transaction as its writes, so that nothing is applied twice or lost.
CREATE TABLE queue (
	seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	doc         BYTEA NOT NULL,
	-- worker holds the lease until lease_until; NULL when queued.
	worker      TEXT COLLATE "C",
	lease_until TIMESTAMPTZ,
	attempts    INTEGER NOT NULL DEFAULT 0,
	-- result is the worker's output, NULL until done.
	result      BYTEA
);
-- Claim: the oldest documents without a result.
CREATE INDEX queue_todo ON queue(seq) WHERE result IS NULL;
