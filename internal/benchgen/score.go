package benchgen

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// PRF is precision, recall and their harmonic mean.
type PRF struct {
	P  float64 `json:"p"`
	R  float64 `json:"r"`
	F1 float64 `json:"f1"`
}

func prf(p, r float64) PRF {
	f := 0.0
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return PRF{p, r, f}
}

type cell[G, P comparable] struct {
	g G
	p P
}

// cells counts items per gold class, per predicted class and per pair of
// both: every score below is a sum over them, so scoring a million items
// needs no pairs.
func cells[G, P comparable](gold []G, pred []P) (map[G]int, map[P]int, map[cell[G, P]]int) {
	gs, ps, both := map[G]int{}, map[P]int{}, map[cell[G, P]]int{}
	for i := range gold {
		gs[gold[i]]++
		ps[pred[i]]++
		both[cell[G, P]{gold[i], pred[i]}]++
	}
	return gs, ps, both
}

// BCubed scores a clustering: item i's precision is the share of its
// predicted cluster in its gold class, its recall the share of its gold
// class in its predicted cluster, both averaged over items. gold[i] and
// pred[i] label item i; they must be as long. No items score 1.
func BCubed[G, P comparable](gold []G, pred []P) (PRF, error) {
	if len(gold) != len(pred) {
		return PRF{}, fmt.Errorf("benchgen: %d gold labels for %d predicted", len(gold), len(pred))
	}
	if len(gold) == 0 {
		return PRF{1, 1, 1}, nil
	}
	gs, ps, both := cells(gold, pred)
	var p, r float64
	for k, n := range both {
		// Each of the cell's n items has n of its cluster-mates in its class.
		nn := float64(n) * float64(n)
		p += nn / float64(ps[k.p])
		r += nn / float64(gs[k.g])
	}
	total := float64(len(gold))
	return prf(p/total, r/total), nil
}

// Pairwise scores the pairs of items put together: precision over the
// predicted pairs, recall over the gold pairs. With no pairs on a side
// its score is 1.
func Pairwise[G, P comparable](gold []G, pred []P) (PRF, error) {
	if len(gold) != len(pred) {
		return PRF{}, fmt.Errorf("benchgen: %d gold labels for %d predicted", len(gold), len(pred))
	}
	gs, ps, both := cells(gold, pred)
	pairs := func(n int) float64 { return float64(n) * float64(n-1) / 2 }
	var tp, gp, pp float64
	for _, n := range both {
		tp += pairs(n)
	}
	for _, n := range gs {
		gp += pairs(n)
	}
	for _, n := range ps {
		pp += pairs(n)
	}
	p, r := 1.0, 1.0
	if pp > 0 {
		p = tp / pp
	}
	if gp > 0 {
		r = tp / gp
	}
	return prf(p, r), nil
}

// ReadTruth calls fn for every line of a truth file, in order. A line
// that is not a Truth, or out of order, is an error naming it.
func ReadTruth(r io.Reader, fn func(Truth) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<20)
	for n := 1; sc.Scan(); n++ {
		var t Truth
		if err := json.Unmarshal(sc.Bytes(), &t); err != nil {
			return fmt.Errorf("benchgen: truth line %d: %w", n, err)
		}
		if t.Line != n || t.Story == "" {
			return fmt.Errorf("benchgen: truth line %d: want line %d with a story, got line %d story %q", n, n, t.Line, t.Story)
		}
		if err := fn(t); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("benchgen: read truth: %w", err)
	}
	return nil
}
