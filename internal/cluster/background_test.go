package cluster

import (
	"strings"
	"testing"
	"time"
)

func TestBackgroundTable(t *testing.T) {
	if n := strings.Count(backgroundTSV, "\n"); len(background()) != n || n < 500 {
		t.Fatalf("background: %d terms read of %d lines", len(background()), n)
	}
	for term, common := range map[string]bool{
		"police": true, "government": true, // common news words
		"varnholm": false, "#police": false, "2021": false, // a place nobody reports, a name entry, a number
	} {
		if got := backgroundShare(term) > 0; got != common {
			t.Errorf("backgroundShare(%q) = %v, want listed %v", term, backgroundShare(term), common)
		}
	}
}

// TestPriorDampsCommonWords: in a stream's first article a common word and
// an invented one are equally rare, unless the background says otherwise.
func TestPriorDampsCommonWords(t *testing.T) {
	for _, tc := range []struct {
		prior float64
		less  bool // idf of the common word below the other's
	}{{0, false}, {300, true}} {
		cfg := DefaultConfig()
		cfg.Prior = tc.prior
		c := New(cfg)
		c.Assign("a1", Features{Terms: map[string]float32{"police": 1, "varnholm": 1}, Published: time.Time{}})
		common, rare := c.idf(c.df["police"]), c.idf(c.df["varnholm"])
		if got := common < rare; got != tc.less || common <= 0 {
			t.Errorf("prior %v: idf police %.3f, varnholm %.3f; want police below: %v", tc.prior, common, rare, tc.less)
		}
	}
}
