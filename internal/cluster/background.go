package cluster

import (
	_ "embed"
	"strconv"
	"strings"
	"sync"
)

// backgroundTSV lists the terms common in news language with the share of
// documents holding each, one "term<TAB>share" a line. It is built from
// the dev benchmarks (go test -run TestBuildBackground -background
// ./internal/cluster/) keeping only terms found across several
// independent collections, so that it holds no event's names.
//
//go:embed background.tsv
var backgroundTSV string

// background is the table read once; it is never written after.
var background = sync.OnceValue(func() map[string]float64 {
	m := make(map[string]float64, strings.Count(backgroundTSV, "\n"))
	for line := range strings.SplitSeq(backgroundTSV, "\n") {
		t, v, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		if share, err := strconv.ParseFloat(v, 64); err == nil && share > 0 && share <= 1 {
			m[t] = share
		}
	}
	return m
})

// backgroundShare is the share of news documents holding term t, 0 for a
// term the table does not list.
func backgroundShare(t string) float64 { return background()[t] }
