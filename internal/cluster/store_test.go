package cluster_test

import (
	"github.com/dossiernews/dossier/internal/cluster"
	"github.com/dossiernews/dossier/internal/store"
)

// The store is a backing as it stands.
var _ cluster.Backing = store.Store(nil)
