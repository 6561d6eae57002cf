package evaltest

import (
	"path/filepath"
	"testing"

	"github.com/dossiernews/dossier/internal/evaldata"
)

// floor is a figure a scorer prints and the least it may be. Floors sit a
// little under what the dev half scores now, so a regression fails.
type floor struct {
	pattern string // a regular expression capturing the figure
	min     float64
}

// TestScorers runs every benchmark in ../shared/eval through ingest and
// export and scores it with the benchmark's own scorer.
func TestScorers(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end benchmarks take about a minute")
	}
	eval := evaldata.Dir(t, "eval")
	tests := []struct {
		name   string
		inputs []string
		script string
		gold   string
		floors []floor
	}{
		{"extraction-html", []string{"trafilatura-dev/html"}, "score_extraction.py", "trafilatura-dev/evaldata.json",
			[]floor{{`F1 ([0-9.]+)`, 0.91}}},
		{"extraction-textdump", []string{"trafilatura-dev/textdump"}, "score_extraction.py", "trafilatura-dev/evaldata.json",
			[]floor{{`F1 ([0-9.]+)`, 0.85}}},
		{"dates", []string{"htmldate-dev/html"}, "score_dates.py", "htmldate-dev/dates.json",
			[]floor{{`accuracy ([0-9.]+)`, 0.88}}},
		// The ECB+ floor sits under the naive baseline (0.87), which the
		// one default does not yet reach end to end: issue 8 is open on
		// it. allsides' is the naive baseline's.
		{"clusters", []string{"ecbplus-dev/stream.jsonl"}, "score_clusters.py", "ecbplus-dev/gold.jsonl",
			[]floor{{`BCubed +P [0-9.]+ R [0-9.]+ F1 ([0-9.]+)`, 0.85}}},
		{"clusters-dated", []string{"allsides-dev/stream.jsonl"}, "score_clusters.py", "allsides-dev/gold.jsonl",
			[]floor{{`BCubed +P [0-9.]+ R [0-9.]+ F1 ([0-9.]+)`, 0.86}}},
		{"dedup", []string{"dedup-dev/stream.jsonl"}, "score_dedup.py", "dedup-dev/gold.jsonl",
			[]floor{{`pairwise P [0-9.]+ R [0-9.]+ F1 ([0-9.]+)`, 0.988}}},
		{"quotes", []string{"polnear-dev/text"}, "score_quotes.py", "polnear-dev/gold.jsonl",
			[]floor{{`quote recall ([0-9.]+)`, 0.97}, {`precision ([0-9.]+)`, 0.97}, {`speaker accuracy where gold names the speaker ([0-9.]+)`, 0.93}}},
	}
	// ceilings are figures a scorer prints and the most they may be.
	ceilings := map[string][]floor{
		"dedup": {{`independent same-story reports linked: ([0-9]+)`, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var inputs []string
			for _, in := range tt.inputs {
				inputs = append(inputs, filepath.Join(eval, in))
			}
			_, out, sum := run(t, inputs...)
			t.Logf("ingest: read %d, new %d, duplicates %d, failed %d", sum.Read, sum.New, sum.Duplicates, sum.Failed)
			output := score(t, eval, tt.script, out, filepath.Join(eval, tt.gold))
			t.Logf("%s:\n%s", tt.script, output)
			for _, f := range tt.floors {
				if got := figure(t, output, f.pattern); got < f.min {
					t.Errorf("%s %s = %.3f, below the floor %.3f", tt.name, f.pattern, got, f.min)
				}
			}
			for _, c := range ceilings[tt.name] {
				if got := figure(t, output, c.pattern); got > c.min {
					t.Errorf("%s %s = %.0f, above the ceiling %.0f", tt.name, c.pattern, got, c.min)
				}
			}
		})
	}
}
