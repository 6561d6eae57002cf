package storetest

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dossiernews/dossier/internal/store"
)

// lockOrFail takes the lock without waiting.
func lockOrFail(t *testing.T, st store.Store, who string) func() error {
	t.Helper()
	release, err := st.Lock(context.Background(), who, nil)
	if err != nil {
		t.Fatalf("Lock(%s) on a free store: %v", who, err)
	}
	return release
}

// checkHolder checks that h describes this process locking as who since
// (less a second: Since may be kept in whole seconds).
func checkHolder(t *testing.T, h store.Holder, who string, since time.Time) {
	t.Helper()
	host, _ := os.Hostname()
	if h.PID != os.Getpid() || h.Command != who || h.Host != host ||
		h.Since.Before(since.Add(-time.Second)) || h.Since.After(time.Now()) {
		t.Errorf("holder %+v, want pid %d on %q (%s) since %v", h, os.Getpid(), host, who, since)
	}
}

func testLockHeld(t *testing.T, st, other store.Store) {
	fx := loadFixtures(t)
	ctx := context.Background()
	putAll(t, st, fx, "dam-1")
	before := time.Now()
	release := lockOrFail(t, st, "storetest first writer")

	_, err := other.Lock(ctx, "storetest second writer", nil)
	var le *store.LockedError
	if !errors.As(err, &le) || !errors.Is(err, store.ErrLocked) {
		t.Fatalf("Lock while another handle holds it: err %v, want a *LockedError", err)
	}
	checkHolder(t, le.Holder, "storetest first writer", before)
	if !strings.Contains(err.Error(), "storetest first writer") {
		t.Errorf("error %q does not say who holds the lock", err)
	}
	// Readers do not take the lock.
	if _, err := other.Article(ctx, "dam-1"); err != nil {
		t.Errorf("reading while another handle holds the lock: %v", err)
	}
	if _, err := other.Stories(ctx); err != nil {
		t.Errorf("reading while another handle holds the lock: %v", err)
	}

	if err := release(); err != nil {
		t.Fatalf("release: %v", err)
	}
	if err := release(); err != nil {
		t.Errorf("second release: %v, want nil", err)
	}
	// Free again: the other handle takes it, and now the first is refused.
	release2 := lockOrFail(t, other, "storetest second writer")
	_, err = st.Lock(ctx, "storetest first writer", nil)
	if !errors.As(err, &le) || le.Holder.Command != "storetest second writer" {
		t.Errorf("Lock against the second holder: err %v, want a *LockedError naming it", err)
	}
	if err := release2(); err != nil {
		t.Fatal(err)
	}
}

func testLockWait(t *testing.T, st, other store.Store) {
	before := time.Now()
	release := lockOrFail(t, st, "storetest first writer")
	type result struct {
		release func() error
		err     error
	}
	waits := make(chan store.Holder, 8)
	done := make(chan result, 1)
	go func() {
		r, err := other.Lock(context.Background(), "storetest second writer", func(h store.Holder) { waits <- h })
		done <- result{r, err}
	}()
	select {
	case h := <-waits:
		checkHolder(t, h, "storetest first writer", before)
	case r := <-done:
		t.Fatalf("Lock returned (%v) while the lock was held, without calling wait", r.err)
	case <-time.After(10 * time.Second):
		t.Fatal("wait not called while the lock was held")
	}
	// Long enough for several polls: none may take the lock or call wait again.
	time.Sleep(500 * time.Millisecond)
	select {
	case r := <-done:
		t.Fatalf("Lock returned (%v) while the lock was still held", r.err)
	default:
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatalf("Lock after the holder released: %v", r.err)
		}
		if err := r.release(); err != nil {
			t.Error(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Lock still waiting after the holder released")
	}
	if n := len(waits); n != 0 {
		t.Errorf("wait called %d more times, want once", n)
	}
}

func testLockCancelled(t *testing.T, st, other store.Store) {
	release := lockOrFail(t, st, "storetest first writer")
	calls := 0
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	r, err := other.Lock(ctx, "storetest second writer", func(store.Holder) { calls++ })
	if !errors.Is(err, context.DeadlineExceeded) || calls != 1 || r != nil {
		t.Errorf("Lock until a deadline: err %v, %d waits, release %v; want DeadlineExceeded after one wait", err, calls, r != nil)
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	// A context already ended takes nothing, even a free lock.
	ended, cancelNow := context.WithCancel(context.Background())
	cancelNow()
	if r, err := other.Lock(ended, "storetest second writer", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Lock with an ended context: err %v, want Canceled", err)
		if r != nil {
			_ = r()
		}
	}
	if err := lockOrFail(t, other, "storetest second writer")(); err != nil {
		t.Error(err)
	}
}
