//go:build unix

package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/dossiernews/dossier/internal/store"
)

// Polling bounds while another process holds the lock. flock cannot wait
// with a deadline, so Lock retries the non-blocking call.
const (
	minPoll = 50 * time.Millisecond
	maxPoll = 200 * time.Millisecond
)

// holderFile is the lock file's content: who holds it.
type holderFile struct {
	PID     int    `json:"pid"`
	Host    string `json:"host,omitempty"`
	Command string `json:"command,omitempty"`
	Since   string `json:"since,omitempty"`
}

// Lock takes the writer lock: an flock on the file PATH.lock beside the
// database, so that the kernel releases it when the process dies however it
// dies. The file itself is never deleted (deleting a locked file lets two
// processes lock two different files); it holds the holder's description
// while locked. Each call opens the file anew, so two Lock calls conflict
// even within one process.
func (s *Store) Lock(ctx context.Context, who string, wait func(store.Holder)) (func() error, error) {
	path := s.path + ".lock"
	release, err := lockFile(ctx, path, who, wait)
	if err != nil {
		return nil, fmt.Errorf("sqlite: lock %s: %w", path, err)
	}
	return release, nil
}

func lockFile(ctx context.Context, path, who string, wait func(store.Holder)) (func() error, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := acquire(ctx, f, wait); err != nil {
		_ = f.Close()
		return nil, err
	}
	if err := writeHolder(f, who); err != nil {
		_ = unix.Flock(int(f.Fd()), unix.LOCK_UN)
		_ = f.Close()
		return nil, fmt.Errorf("write holder: %w", err)
	}
	var once sync.Once
	var rerr error
	return func() error {
		once.Do(func() {
			// Clear the description first: once unlocked, the file must
			// not name us to the next waiter.
			rerr = errors.Join(f.Truncate(0), unix.Flock(int(f.Fd()), unix.LOCK_UN), f.Close())
			if rerr != nil {
				rerr = fmt.Errorf("sqlite: unlock %s: %w", path, rerr)
			}
		})
		return rerr
	}, nil
}

// acquire takes an exclusive flock on f, calling wait once if it has to.
func acquire(ctx context.Context, f *os.File, wait func(store.Holder)) error {
	delay := minPoll
	waited := false
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, unix.EINTR):
			continue
		case !errors.Is(err, unix.EWOULDBLOCK):
			return err
		}
		if !waited {
			h := readHolder(ctx, f)
			if wait == nil {
				return &store.LockedError{Holder: h}
			}
			wait(h)
			waited = true
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		delay = min(2*delay, maxPoll)
	}
}

func writeHolder(f *os.File, who string) error {
	host, _ := os.Hostname() // a holder without a host name is still described
	b, err := json.Marshal(holderFile{PID: os.Getpid(), Host: host, Command: who,
		Since: time.Now().Format(time.RFC3339)})
	if err != nil {
		return err
	}
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err = f.WriteAt(b, 0)
	return err
}

// readHolder reads who holds the lock. The holder writes its description
// just after taking the lock, so an empty or partial file is read again a
// few times before settling for an unknown holder.
func readHolder(ctx context.Context, f *os.File) store.Holder {
	for try := 0; ; try++ {
		b, err := io.ReadAll(io.NewSectionReader(f, 0, 4096))
		var hf holderFile
		if err == nil && json.Unmarshal(b, &hf) == nil && hf.PID != 0 {
			h := store.Holder{PID: hf.PID, Host: hf.Host, Command: hf.Command}
			// A damaged time leaves Since unknown; the rest still helps.
			h.Since, _ = time.Parse(time.RFC3339, hf.Since)
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
