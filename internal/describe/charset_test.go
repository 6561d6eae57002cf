package describe

import (
	"testing"

	"github.com/dossiernews/dossier/internal/clean"
	"golang.org/x/text/encoding/charmap"
)

// TestLegacyCharsetMeta checks that metadata of a page in a declared legacy
// charset is read as text, not as mojibake.
func TestLegacyCharsetMeta(t *testing.T) {
	page := `<html><head><meta charset="windows-1252">
<meta property="og:site_name" content="Café Gazette">
<meta name="author" content="Zoë Marchetti"></head>
<body><p>The ferry timetable changes on Monday.</p></body></html>`
	raw, err := charmap.Windows1252.NewEncoder().String(page)
	if err != nil {
		t.Fatal(err)
	}
	m := Describe(Input{HTML: []byte(raw), Page: clean.Page{Paragraphs: []string{"The ferry timetable changes on Monday."}}})
	if m.Outlet != "Café Gazette" {
		t.Errorf("outlet %q, want Café Gazette", m.Outlet)
	}
	if len(m.Authors) != 1 || m.Authors[0] != "Zoë Marchetti" {
		t.Errorf("authors %q, want [Zoë Marchetti]", m.Authors)
	}
}
