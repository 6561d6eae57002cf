package compare

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden comparisons under testdata/golden")

// TestCompareGolden pins the whole comparison of generated stories, byte
// for byte: a change made for speed must not change what comes out. The
// largest is pinned by its SHA-256, to keep testdata small.
func TestCompareGolden(t *testing.T) {
	type story struct {
		n    int
		kind string
	}
	var stories []story
	for _, n := range []int{2, 3, 8, 50, 120, 500} {
		stories = append(stories, story{n, "story"}, story{n, "reworded"})
	}
	for _, n := range []int{6, 30, 100} {
		stories = append(stories, story{n, "examples"})
	}
	for _, s := range stories {
		n := s.n
		if n > 120 && testing.Short() {
			continue
		}
		name := fmt.Sprintf("%s%d", s.kind, n)
		t.Run(name, func(t *testing.T) {
			var reports []Report
			switch s.kind {
			case "story":
				reports, _ = benchStory(n)
			case "reworded":
				reports = rewordedStory(n)
			default:
				reports = exampleStory(t, n)
			}
			got, err := json.MarshalIndent(Compare(reports), "", " ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "golden", name+".json")
			if n > 120 || s.kind == "examples" && n > 30 {
				path += ".sha256"
				got = fmt.Appendf(nil, "%x\n", sha256.Sum256(got))
			}
			if *updateGolden {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("comparison of %d generated articles differs from %s", n, path)
			}
		})
	}
}
