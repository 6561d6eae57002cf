package ingest

import (
	"github.com/dossiernews/dossier/internal/ident"
	"github.com/dossiernews/dossier/internal/source"
)

// StoredDigest is the digest Run stores a document's article under
// (store.State.Digest), so that a caller can find what became of the
// document with store.Seen(doc.Key, StoredDigest(doc)).
func StoredDigest(doc source.Document) string {
	return ident.ContentHash([]byte(Version + "\x00" + doc.Digest))
}
