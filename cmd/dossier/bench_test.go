//go:build unix

package main

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/dossiernews/dossier/internal/ingest"
)

func TestBenchUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"bench", "--n", "0"}, `--n "0": want sizes of 1 or more`},
		{[]string{"bench", "--n", "10,x"}, `--n "10,x": want sizes`},
		{[]string{"bench", "--workers", "-1"}, "--workers -1: want 0"},
		{[]string{"bench", "extra"}, "bench takes no arguments"},
		{[]string{"bench", benchChild}, "takes --db PATH and one corpus"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := runCLI(t, "", tt.args...)
			if code != 2 || out != "" || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and %q", code, out, errOut, tt.want)
			}
		})
	}
}

// TestBench runs a small bench end to end with the real binary, which
// re-runs itself for each measurement. The floors are below what seed 1
// measured at N=300 (stories BCubed F1 0.84, copies 0.99).
func TestBench(t *testing.T) {
	bin := binary(t)
	cmd := exec.Command(bin, "bench", "--n", "300", "--seed", "1", "--workers", "2", "--json", "--dir", t.TempDir())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, out)
	}
	var got struct {
		Seed uint64     `json:"seed"`
		Runs []benchRun `json:"runs"`
	}
	if err := json.Unmarshal(out, &got); err != nil || len(got.Runs) != 1 {
		t.Fatalf("%v: %s", err, out)
	}
	r := got.Runs[0]
	if r.N != 300 || r.Corpus.Articles != 300 || r.Failed != 0 || r.GoldStories != r.Corpus.Stories {
		t.Errorf("n %d, articles %d, failed %d, gold stories %d of %d", r.N, r.Corpus.Articles, r.Failed, r.GoldStories, r.Corpus.Stories)
	}
	if r.BCubed.F1 < 0.8 || r.Copies.F1 < 0.9 || r.StoryPairs.F1 <= 0 {
		t.Errorf("stories BCubed %+v, pairwise %+v, copies %+v: below the floors 0.8 and 0.9", r.BCubed, r.StoryPairs, r.Copies)
	}
	if r.PerSecond <= 0 || r.Seconds <= 0 || r.DedupCluster <= 0 {
		t.Errorf("%.0f articles/s in %.2fs, dedup+cluster %.0f µs: want positive figures", r.PerSecond, r.Seconds, r.DedupCluster)
	}
	for _, name := range ingest.Stages {
		if r.Stages[name] <= 0 {
			t.Errorf("stage %s: %v articles/s", name, r.Stages[name])
		}
	}
	// A store holds at least the text (about 1 KB an article here) and
	// not a hundred times it; a process takes some memory, not gigabytes.
	if r.PerArticle < 1000 || r.PerArticle > 100_000 || r.PeakRSS < 1<<20 || r.PeakRSS > 4<<30 {
		t.Errorf("store %.0f bytes/article, peak RSS %d bytes", r.PerArticle, r.PeakRSS)
	}
	if r.AddEmpty <= 0 || r.AddFull <= 0 || r.AddRatio <= 0 {
		t.Errorf("adding one article: %v s empty, %v s full, ratio %v", r.AddEmpty, r.AddFull, r.AddRatio)
	}
}
