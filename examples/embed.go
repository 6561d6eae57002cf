// Package examples bundles Dossier's example corpus (invented events,
// outlets and people, with the noise real crawls have) into the binary, so
// `dossier demo` works from the binary alone.
package examples

import (
	"embed"
	"io/fs"
)

//go:embed txt html feeds broken README.md EXPECTED.json
var corpus embed.FS

// Corpus returns the example files, as laid out under examples/.
func Corpus() fs.FS { return corpus }
