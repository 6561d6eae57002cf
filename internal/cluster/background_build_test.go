package cluster

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossiernews/dossier/internal/clean"
	"github.com/dossiernews/dossier/internal/evaldata"
)

var rebuildBackground = flag.Bool("background", false, "rebuild background.tsv from the dev benchmarks")

// Which terms the background keeps: words, not names or numbers (whose
// commonness is the archive's period, not the language's), in at least
// backgroundGroups of the collections, in at least backgroundDocs
// documents of each, so that no story's words (one collection's, however
// often it uses them) get in. A word is a name when most documents holding
// it write it as one (its "#" entry).
const (
	backgroundGroups = 3
	backgroundDocs   = 5
	// backgroundMinShare drops terms too rare for their prior to matter.
	backgroundMinShare = 0.002
)

// backgroundDoc is one document of a collection: a title and a text.
type backgroundDoc struct{ title, text string }

// backgroundCollections reads the dev benchmarks as independent
// collections of news language. dedup-dev is left out: it holds ecbplus's
// articles again.
func backgroundCollections(tb testing.TB) map[string][]backgroundDoc {
	eval := evaldata.Dir(tb, "eval")
	out := map[string][]backgroundDoc{}
	for _, name := range []string{"allsides-dev", "ecbplus-dev"} {
		fh, err := os.Open(filepath.Join(eval, name, "stream.jsonl"))
		if err != nil {
			tb.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			var rec struct{ Title, Text string }
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
				tb.Fatal(err)
			}
			out[name] = append(out[name], backgroundDoc{rec.Title, rec.Text})
		}
		fh.Close()
	}
	// Texts whose first line is the title.
	for name, glob := range map[string]string{"polnear-dev": "polnear-dev/text/*.txt", "trafilatura-dev": "trafilatura-dev/textdump/*.txt"} {
		files, err := filepath.Glob(filepath.Join(eval, glob))
		if err != nil {
			tb.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			title, text, _ := strings.Cut(string(b), "\n")
			out[name] = append(out[name], backgroundDoc{title, text})
		}
	}
	pages, err := filepath.Glob(filepath.Join(eval, "htmldate-dev/html/*.html"))
	if err != nil {
		tb.Fatal(err)
	}
	c := clean.New(clean.WithoutMemory())
	for _, f := range pages {
		raw, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		if p, err := c.HTML(raw, ""); err == nil {
			out["htmldate-dev"] = append(out["htmldate-dev"], backgroundDoc{p.Title, p.Text()})
		}
	}
	return out
}

// buildBackground is the table of terms common across collections, with
// the mean over all collections of the share of documents holding each.
func buildBackground(colls map[string][]backgroundDoc) map[string]float64 {
	groups := map[string]int{}
	shares := map[string]float64{}
	docs := map[string]int{} // over all collections, names' entries too
	for _, name := range slices.Sorted(maps.Keys(colls)) {
		coll := colls[name]
		df := map[string]int{}
		for _, d := range coll {
			for t := range Extract(d.title, d.text, "", time.Time{}).Terms {
				df[t]++
			}
		}
		for t, n := range df {
			docs[t] += n
			shares[t] += float64(n) / float64(len(coll))
			if n >= backgroundDocs {
				groups[t]++
			}
		}
	}
	out := map[string]float64{}
	for t, g := range groups {
		if t[0] == namePrefix || isNumber(t) || 2*docs[string(namePrefix)+t] >= docs[t] {
			continue
		}
		if share := shares[t] / float64(len(colls)); g >= backgroundGroups && share >= backgroundMinShare {
			out[t] = share
		}
	}
	return out
}

// TestBuildBackground rebuilds background.tsv with -background; without
// it, it checks that the table shipped is the one the dev benchmarks give.
func TestBuildBackground(t *testing.T) {
	if testing.Short() {
		t.Skip("reads every dev benchmark")
	}
	table := buildBackground(backgroundCollections(t))
	var b strings.Builder
	for _, term := range slices.Sorted(maps.Keys(table)) {
		fmt.Fprintf(&b, "%s\t%.5f\n", term, table[term])
	}
	if *rebuildBackground {
		if err := os.WriteFile("background.tsv", []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %d terms", len(table))
		return
	}
	if b.String() != backgroundTSV {
		t.Errorf("background.tsv is not what the dev benchmarks give: run go test -run TestBuildBackground -background ./internal/cluster/")
	}
}
