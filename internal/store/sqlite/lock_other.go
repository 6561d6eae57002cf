//go:build !unix

package sqlite

import (
	"context"
	"fmt"
	"runtime"

	"github.com/dossiernews/dossier/internal/store"
)

// Lock is not available where flock is not: a lock that a crash could
// leave behind would be worse than none.
func (s *Store) Lock(ctx context.Context, who string, wait func(store.Holder)) (func() error, error) {
	return nil, fmt.Errorf("sqlite: lock %s.lock: not supported on %s", s.path, runtime.GOOS)
}
