package web

import (
	"context"
	"sync"
	"testing"
)

// TestReadGate: reads in flight are counted across goroutines, and an
// ingest's wait ends though a read never does (its bound), or its context
// ends: an ingest is slowed by readers, never stopped.
func TestReadGate(t *testing.T) {
	var g readGate
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			exit := g.enter()
			g.wait(context.Background()) // another read's wait: bounded
			exit()
		})
	}
	wg.Wait()
	if n := g.active.Load(); n != 0 {
		t.Fatalf("%d reads in flight after all ended", n)
	}
	exit := g.enter()
	defer exit()
	for _, tc := range []struct {
		name   string
		cancel bool
	}{{"a read that never ends", false}, {"a context that ends", true}} {
		ctx, cancel := context.WithCancel(context.Background())
		if tc.cancel {
			cancel()
		}
		g.wait(ctx) // returns, or the test times out
		cancel()
		if n := g.active.Load(); n != 1 {
			t.Errorf("%s: %d reads in flight, want the 1", tc.name, n)
		}
	}
}
