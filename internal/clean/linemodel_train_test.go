package clean

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

var updateModel = flag.Bool("update", false, "retrain the line model and rewrite linemodel_weights.go")

// labelLines marks the lines a gold segment covers: +1 for a segment the
// text must contain, -1 for one it must not, 0 for lines no segment covers
// or both do. A segment weighs 1 in all, shared by the lines it covers.
func labelLines(lines []string, it evalItem) ([]int8, []float64) {
	off := make([]int, len(lines)+1)
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte(' ')
		}
		off[i] = b.Len()
		b.WriteString(l)
	}
	off[len(lines)] = b.Len() + 1
	all := b.String()
	pos, neg := make([]bool, len(lines)), make([]bool, len(lines))
	weight := make([]float64, len(lines))
	mark := func(segs []string, to []bool) {
		for _, s := range segs {
			s = normWS(s)
			if s == "" {
				continue
			}
			for from := 0; ; {
				j := strings.Index(all[from:], s)
				if j < 0 {
					break
				}
				lo, hi := from+j, from+j+len(s)
				var cover []int
				for k := range lines {
					if off[k] < hi && off[k]+len(lines[k]) > lo {
						to[k] = true
						cover = append(cover, k)
					}
				}
				for _, k := range cover {
					weight[k] += 1 / float64(len(cover))
				}
				from = hi
			}
		}
	}
	mark(it.With, pos)
	mark(it.Without, neg)
	out := make([]int8, len(lines))
	for k := range lines {
		switch {
		case pos[k] && !neg[k]:
			out[k] = 1
		case neg[k] && !pos[k]:
			out[k] = -1
		}
		weight[k] = min(weight[k], 1)
	}
	return out, weight
}

// TestLineErrors lists, for the labelled lines the cleaner gets wrong,
// what decided them (TEXTDUMP_DIAG=lines).
func TestLineErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("diagnostic")
	}
	dumps := loadTextDumps(t)
	c := New(WithoutMemory())
	pr := c.params()
	tally := map[string]int{}
	for _, dd := range dumps {
		lines := splitLines(dd.raw)
		var p Page
		start, title := 0, ""
		p.Title, start = leadTitle(lines, &p)
		title = p.Title
		d := c.analyse(lines, start, title)
		keep := d.keep(pr, lineW1[:], lineW2[:])
		lab, _ := labelLines(lines, dd.item)
		for i := range lines {
			if lab[i] == 0 {
				continue
			}
			why := "kept"
			if i < start {
				why = "head"
			} else if f := d.fs[i]; f.rule {
				why = "rule:" + f.kind.String()
			} else if !keep[i] {
				why = fmt.Sprintf("cls%d/in=%v", f.cls, d.in[i])
			}
			ok := (lab[i] > 0) == (why == "kept")
			key := fmt.Sprintf("lab%+d %s", lab[i], why)
			if !ok {
				tally[key]++
				if testing.Verbose() {
					t.Logf("%s %s: %.140q", dd.item.File, key, lines[i])
				}
			} else {
				tally["ok "+key]++
			}
		}
	}
	for k, v := range tally {
		t.Logf("%6d %s", v, k)
	}
}

// example is one labelled line.
type example struct {
	x []float64
	y float64
	w float64
}

// pageLines splits a dump and finds its title as Text does.
func pageLines(raw string) ([]string, int, string) {
	lines := splitLines(raw)
	var p Page
	title, start := leadTitle(lines, &p)
	return lines, start, title
}

// examples collects the labelled lines of the pages with parity half,
// their vectors made with stage-one weights w1 (nil for stage one).
func examples(dumps []textDump, half int, w1 []float64) []example {
	c := New(WithoutMemory())
	var out []example
	for i, dd := range dumps {
		if i%2 != half {
			continue
		}
		lines, start, title := pageLines(dd.raw)
		d := c.analyse(lines, start, title)
		_, xs := d.predict(c.params(), w1, nil)
		if w1 != nil {
			p, _ := d.predict(c.params(), w1, nil)
			d.vectors2(xs, p)
		}
		lab, wt := labelLines(lines, dd.item)
		for k, x := range xs {
			if x == nil || lab[k] == 0 || d.fs[k].strong {
				continue
			}
			out = append(out, example{x: x, y: b2f(lab[k] > 0), w: wt[k]})
		}
	}
	return out
}

// fitLogistic fits L2-regularised logistic regression by Newton's method.
func fitLogistic(ex []example, dim int, lambda float64) []float64 {
	w := make([]float64, dim)
	for iter := 0; iter < 50; iter++ {
		g := make([]float64, dim)
		h := make([][]float64, dim)
		for i := range h {
			h[i] = make([]float64, dim)
		}
		for _, e := range ex {
			p := sigmoid(dot(w, e.x))
			r := e.w * (p - e.y)
			s := e.w * p * (1 - p)
			for i := 0; i < dim; i++ {
				g[i] += r * e.x[i]
				for j := 0; j <= i; j++ {
					h[i][j] += s * e.x[i] * e.x[j]
				}
			}
		}
		for i := 0; i < dim; i++ {
			for j := 0; j < i; j++ {
				h[j][i] = h[i][j]
			}
			if i > 0 {
				g[i] += lambda * w[i]
				h[i][i] += lambda
			} else {
				h[i][i] += 1e-6
			}
		}
		step := solve(h, g)
		var moved float64
		for i := range w {
			w[i] -= step[i]
			moved = max(moved, math.Abs(step[i]))
		}
		if moved < 1e-7 {
			break
		}
	}
	return w
}

// solve solves a x = b by Gaussian elimination with partial pivoting.
func solve(a [][]float64, b []float64) []float64 {
	n := len(b)
	m := make([][]float64, n)
	for i := range a {
		m[i] = append(append([]float64(nil), a[i]...), b[i])
	}
	for c := 0; c < n; c++ {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[p][c]) {
				p = r
			}
		}
		m[c], m[p] = m[p], m[c]
		if math.Abs(m[c][c]) < 1e-12 {
			continue
		}
		for r := c + 1; r < n; r++ {
			f := m[r][c] / m[c][c]
			for k := c; k <= n; k++ {
				m[r][k] -= f * m[c][k]
			}
		}
	}
	x := make([]float64, n)
	for i := n - 1; i >= 0; i-- {
		if math.Abs(m[i][i]) < 1e-12 {
			continue
		}
		s := m[i][n]
		for k := i + 1; k < n; k++ {
			s -= m[i][k] * x[k]
		}
		x[i] = s / m[i][i]
	}
	return x
}

// trainHalf is the half of the dev dumps the weights are learned on; the
// other half is held out.
const trainHalf = 0

const trainLambda = 1.0

// TestTrainLines learns the line model's weights on the even half of the
// dev text dumps and, with -update, writes them to linemodel_weights.go.
func TestTrainLines(t *testing.T) {
	if !*updateModel {
		t.Skip("retrains only with -update")
	}
	dumps := loadTextDumps(t)
	lambda := trainLambda
	if v, err := strconv.ParseFloat(os.Getenv("TRAIN_LAMBDA"), 64); err == nil {
		lambda = v
	}
	ex1 := examples(dumps, trainHalf, nil)
	w1 := fitLogistic(ex1, nStage1, lambda)
	ex2 := examples(dumps, trainHalf, w1)
	w2 := fitLogistic(ex2, nStage2, lambda)
	t.Logf("%d stage-one and %d stage-two examples", len(ex1), len(ex2))
	var b bytes.Buffer
	b.WriteString("// Code generated by TestTrainLines -update on the even half of the dev text dumps; DO NOT EDIT.\n\npackage clean\n\n")
	b.WriteString("var lineW1 = [nStage1]float64{\n")
	for i, w := range w1 {
		fmt.Fprintf(&b, "%.4f, // %s\n", w, stage1Names[i])
	}
	b.WriteString("}\n\nvar lineW2 = [nStage2]float64{\n")
	for i, w := range w2 {
		name := ""
		if i < nStage1 {
			name = stage1Names[i]
		} else {
			name = stage2Names[i-nStage1]
		}
		fmt.Fprintf(&b, "%.4f, // %s\n", w, name)
	}
	b.WriteString("}\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("linemodel_weights.go", src, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, half := range []int{0, 1} {
		t.Logf("half %d: %v", half, scoreDumpsWith(dumps, half, w1, w2))
	}
}
