package describe

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/dossiernews/dossier/internal/evaldata"
)

// TestHTMLDateDev measures publication-day accuracy on the htmldate dev half,
// scored like score_dates.py: the day read in the date's own offset, a
// missing date counted wrong.
func TestHTMLDateDev(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 500 pages")
	}
	dir := evaldata.Dir(t, "eval/htmldate-dev")
	raw, err := os.ReadFile(filepath.Join(dir, "dates.json"))
	if err != nil {
		t.Fatalf("read gold: %v", err)
	}
	// The gold file is written by Python: a page without a gold day says NaN,
	// which no prediction can match, as in score_dates.py.
	raw = bytes.ReplaceAll(raw, []byte(": NaN"), []byte(": null"))
	var gold map[string]struct{ URL, Date string }
	if err := json.Unmarshal(raw, &gold); err != nil {
		t.Fatalf("parse gold: %v", err)
	}
	start := time.Now()
	right, dated := 0, 0
	// Each half of dev (odd and even pages in name order) is scored apart,
	// to show that no rule is fitted to a few pages.
	names := slices.Sorted(maps.Keys(gold))
	var halfRight, halfN [2]int
	for i, name := range names {
		g := gold[name]
		halfN[i%2]++
		page, err := os.ReadFile(filepath.Join(dir, "html", name))
		if err != nil {
			t.Fatalf("read page: %v", err)
		}
		m := Describe(Input{Source: name, HTML: page})
		if m.Published.IsZero() {
			if testing.Verbose() && os.Getenv("DESCRIBE_EVAL_LOG") != "" {
				t.Logf("miss %s: none, want %s", name, g.Date)
			}
			continue
		}
		dated++
		if got := m.Published.Format("2006-01-02"); got == g.Date {
			right++
			halfRight[i%2]++
		} else if os.Getenv("DESCRIBE_EVAL_LOG") != "" {
			t.Logf("miss %s: %s, want %s", name, m.Published.Format(time.RFC3339), g.Date)
		}
	}
	acc := float64(right) / float64(len(gold))
	prec := float64(right) / float64(max(dated, 1))
	t.Logf("htmldate-dev: pages %d, dated %d; accuracy %.3f, precision %.3f; halves %.3f / %.3f; %.0f pages/s",
		len(gold), dated, acc, prec, float64(halfRight[0])/float64(max(halfN[0], 1)),
		float64(halfRight[1])/float64(max(halfN[1], 1)), float64(len(gold))/time.Since(start).Seconds())
	if acc < 0.92 {
		t.Errorf("accuracy %.3f below the floor 0.92", acc)
	}
}
