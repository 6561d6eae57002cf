package describe

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dossiernews/dossier/internal/charset"
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

// TestUndeclaredLegacyPage runs a page in a legacy charset it does not
// declare through the one decode and the one parse: body, outlet and
// authors come out as text.
func TestUndeclaredLegacyPage(t *testing.T) {
	cases := []struct {
		file, outlet, author, body string
	}{
		{"euc-kr.html", "푸른강신문", "김서윤", "도서관 측은 퇴근 후에"},
		{"shift_jis.html", "青葉湾タイムズ", "佐伯透", "朝市では地元の漁師が"},
		{"windows-1251.html", "Вестник Заречья", "Ольга Миронова", "По словам инженеров"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			// The legacy pages are charset's fixtures: one set for every stage.
			raw, err := os.ReadFile(filepath.Join("..", "charset", "testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			text, _, err := charset.HTML(raw, "")
			if err != nil {
				t.Fatal(err)
			}
			doc, err := clean.Parse(text)
			if err != nil {
				t.Fatal(err)
			}
			p, err := clean.New().Tree(doc, "")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(p.Text(), tc.body) {
				t.Errorf("body %q lacks %q", p.Text(), tc.body)
			}
			m := Describe(Input{Page: p, HTML: []byte(text), Doc: doc})
			if m.Outlet != tc.outlet {
				t.Errorf("outlet %q, want %q", m.Outlet, tc.outlet)
			}
			if len(m.Authors) != 1 || m.Authors[0] != tc.author {
				t.Errorf("authors %q, want [%s]", m.Authors, tc.author)
			}
			// The raw bytes alone, without the tree, read the same.
			if m2 := Describe(Input{Page: p, HTML: raw}); m2.Outlet != tc.outlet {
				t.Errorf("from raw bytes: outlet %q, want %q", m2.Outlet, tc.outlet)
			}
		})
	}
}
