package postgres

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dossiernews/dossier/internal/store"
)

// Polling bounds while another process holds the lock: a wait on the lock
// itself could not call wait first nor say who holds it.
const (
	minPoll = 50 * time.Millisecond
	maxPoll = 200 * time.Millisecond
)

// Lock takes the writer lock: a session advisory lock on a connection of
// its own, which the server releases when the connection ends however the
// process dies. Each call opens its own connection, so that two Lock calls
// conflict even within one process.
func (s *Store) Lock(ctx context.Context, who string, wait func(store.Holder)) (func() error, error) {
	release, err := s.lock(ctx, who, wait)
	if err != nil {
		return nil, fmt.Errorf("postgres: lock: %w", err)
	}
	return release, nil
}

func (s *Store) lock(ctx context.Context, who string, wait func(store.Holder)) (func() error, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkText("holder", who); err != nil {
		return nil, err
	}
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	closeConn := func() { _ = conn.Close(context.Background()) }
	delay := minPoll
	waited := false
	for {
		var got bool
		if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, s.lockKey).Scan(&got); err != nil {
			closeConn()
			return nil, err
		}
		if got {
			break
		}
		if !waited {
			h := s.holder(ctx)
			if wait == nil {
				closeConn()
				return nil, &store.LockedError{Holder: h}
			}
			wait(h)
			waited = true
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			closeConn()
			return nil, ctx.Err()
		case <-t.C:
		}
		delay = min(2*delay, maxPoll)
	}
	host, _ := os.Hostname()
	_, err = conn.Exec(ctx, `INSERT INTO writer_lock(backend, pid, host, command, since) VALUES (pg_backend_pid(), $1, $2, $3, now())
		ON CONFLICT (backend) DO UPDATE SET pid = excluded.pid, host = excluded.host, command = excluded.command, since = excluded.since`,
		os.Getpid(), host, who)
	if err != nil {
		closeConn()
		return nil, fmt.Errorf("write holder: %w", err)
	}
	_, err = conn.Exec(ctx, `INSERT INTO writer_turns(id, turns, holder) VALUES (1, 1, $1)
		ON CONFLICT (id) DO UPDATE SET turns = writer_turns.turns + (writer_turns.holder <> excluded.holder)::int, holder = excluded.holder`,
		s.handle)
	if err != nil {
		closeConn()
		return nil, fmt.Errorf("count the turn: %w", err)
	}
	var once sync.Once
	var rerr error
	return func() error {
		once.Do(func() {
			bg := context.Background()
			_, err1 := conn.Exec(bg, `DELETE FROM writer_lock WHERE backend = pg_backend_pid()`)
			_, err2 := conn.Exec(bg, `SELECT pg_advisory_unlock($1)`, s.lockKey)
			// Closing the session releases the lock whatever failed above.
			rerr = errors.Join(err1, err2, conn.Close(bg))
			if rerr != nil {
				rerr = fmt.Errorf("postgres: unlock: %w", rerr)
			}
		})
		return rerr
	}, nil
}

// holder reads who holds the lock: the row of the backend that holds the
// advisory lock now, so that a dead holder's row is never reported. The
// holder writes its row just after taking the lock, so a missing row is
// read again a few times before settling for an unknown holder.
func (s *Store) holder(ctx context.Context) store.Holder {
	for try := 0; ; try++ {
		var h store.Holder
		var pid int32
		err := s.pool.QueryRow(ctx, `SELECT w.pid, w.host, w.command, w.since FROM writer_lock w
			JOIN pg_locks l ON l.pid = w.backend AND l.locktype = 'advisory' AND l.granted
				AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
				AND l.classid = (($1::bigint >> 32) & 4294967295)::oid AND l.objid = ($1::bigint & 4294967295)::oid AND l.objsubid = 1
			LIMIT 1`, s.lockKey).Scan(&pid, &h.Host, &h.Command, &h.Since)
		if err == nil {
			h.PID = int(pid)
			return h
		}
		if try == 4 {
			return store.Holder{}
		}
		t := time.NewTimer(10 * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return store.Holder{}
		case <-t.C:
		}
	}
}

// OthersMark counts the times the writer lock passed from one store
// handle to another (see store.OthersWatcher): every writer of articles,
// stories and state holds that lock, and this Store taking it again with
// nobody in between leaves the count.
func (s *Store) OthersMark(ctx context.Context) (int64, error) {
	var n int64
	err := s.pool.QueryRow(ctx, `SELECT COALESCE((SELECT turns FROM writer_turns WHERE id = 1), 0)`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("postgres: writer turns: %w", err)
	}
	return n, nil
}
