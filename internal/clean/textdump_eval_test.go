package clean

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// textDump is one dev page as a text dump with its gold segments.
type textDump struct {
	item evalItem
	raw  string
}

// loadTextDumps reads the dev text dumps in file-name order, so that the
// halves (even and odd positions) are the same on every run.
func loadTextDumps(t testing.TB) []textDump {
	dir, items := loadEval(t)
	slices.SortFunc(items, func(a, b evalItem) int { return strings.Compare(a.File, b.File) })
	out := make([]textDump, 0, len(items))
	for _, it := range items {
		b, err := os.ReadFile(filepath.Join(dir, "textdump", it.File+".txt"))
		if err != nil {
			t.Fatalf("read dump: %v", err)
		}
		out = append(out, textDump{it, string(b)})
	}
	return out
}

// scoreDumps cleans each page on its own, as ingest does, and scores the
// pages whose position has parity half (-1 for all).
func scoreDumps(dumps []textDump, half int, diag func(textDump, Page)) score {
	c := New(WithoutMemory())
	var s score
	for i, d := range dumps {
		if half >= 0 && i%2 != half {
			continue
		}
		p := c.Text(d.raw, "")
		if diag != nil {
			diag(d, p)
		}
		s.add(d.item, p.Text())
	}
	return s
}

// scoreDumpsWith scores the line model m1, m2 (nil m1: the heuristic) on
// the pages in ps.
func scoreDumpsWith(dumps []textDump, ps pageSet, m1, m2 scorer) score {
	c := New(WithoutMemory())
	var s score
	for i, dd := range dumps {
		if !ps.has(i) {
			continue
		}
		lines, start, title := pageLines(dd.raw)
		d := c.analyse(lines, start, title, nil)
		keep := d.keep(c.params(), m1, m2)
		var body []string
		seen := map[string]bool{}
		for k := start; k < len(lines); k++ {
			if keep[k] && !seen[lines[k]] {
				seen[lines[k]] = true
				body = append(body, lines[k])
			}
		}
		s.add(dd.item, strings.Join(body, "\n\n"))
	}
	return s
}

// TestEvalTextDumpHalves reports the dev text dumps on each half; the
// classifier's weights are trained on the even half (see TestTrainLines),
// so the odd half is held out.
func TestEvalTextDumpHalves(t *testing.T) {
	dumps := loadTextDumps(t)
	var diag func(textDump, Page)
	if os.Getenv("TEXTDUMP_DIAG") != "" {
		diag = func(d textDump, p Page) {
			text := normWS(p.Text())
			var b strings.Builder
			for _, w := range d.item.With {
				if !strings.Contains(text, normWS(w)) {
					fmt.Fprintf(&b, "  MISS %.160q\n", w)
				}
			}
			for _, w := range d.item.Without {
				if strings.Contains(text, normWS(w)) {
					fmt.Fprintf(&b, "  KEPT %.160q\n", w)
				}
			}
			if b.Len() > 0 {
				t.Logf("%s\n%s", d.item.File, b.String())
			}
		}
	}
	for _, tt := range []struct {
		name  string
		half  int
		floor float64
	}{
		{"all", -1, lineModelFloor},
		{"even (trained)", 0, lineModelFloor},
		{"odd (held out)", 1, lineModelFloor},
	} {
		s := scoreDumps(dumps, tt.half, diag)
		t.Logf("%s: %v", tt.name, s)
		if s.f1() < tt.floor {
			t.Errorf("%s: F1 %.3f below floor %.3f", tt.name, s.f1(), tt.floor)
		}
		if diag != nil {
			diag = nil
		}
	}
}

// lineModelFloor is a little under what the line model scores on each half.
const lineModelFloor = 0.875
