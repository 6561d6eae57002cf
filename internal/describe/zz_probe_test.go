package describe

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/dossiernews/dossier/internal/clean"
)

func TestZZProbe(t *testing.T) {
	files, _ := filepath.Glob("/work/shared/eval/trafilatura-dev/textdump/*.txt")
	n := 0
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		p := clean.New().Text(string(raw), "")
		for _, l := range tailLines(p) {
			if name, sp := footerNameLine(l, nil); name != "" {
				n++
				fmt.Printf("%s %v %q <- %q\n", filepath.Base(f)[:6], sp, name, l)
			}
		}
	}
	fmt.Println("hits", n, "of", len(files))
}
