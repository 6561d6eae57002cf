package quote

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGeneralSpeakers checks the attribution cases that generalise across
// articles: organisation names with "of" or a plural possessive, relative
// clauses on appositives, role nouns before names, buildings that are not
// people and descriptions whose modifier names the speaker's body.
func TestGeneralSpeakers(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "speakers_general.json"))
	if err != nil {
		t.Fatalf("reading fixtures: %v", err)
	}
	var cases []struct {
		Name, Text, Contains, Speaker string
		Cue                           string // checked when set
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatalf("decoding fixtures: %v", err)
	}
	if len(cases) == 0 {
		t.Fatal("no fixtures")
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			n := 0
			for _, q := range Find(c.Text) {
				if !strings.Contains(q.Text, c.Contains) {
					continue
				}
				n++
				if q.Speaker != c.Speaker {
					t.Errorf("quote %q: speaker %q (cue %q), want %q", q.Text, q.Speaker, q.Cue, c.Speaker)
				}
				if c.Cue != "" && q.Cue != c.Cue {
					t.Errorf("quote %q: cue %q, want %q", q.Text, q.Cue, c.Cue)
				}
			}
			if n != 1 {
				t.Errorf("%d quotes containing %q, want 1", n, c.Contains)
			}
		})
	}
}
