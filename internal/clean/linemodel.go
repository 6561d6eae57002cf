package clean

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The line model scores each line no rule decided with two logistic
// regressions over shape features that hold in any language: the first
// sees the line and its neighbours, the second adds the first's verdicts
// on the lines around it (a body line sits among body lines). The weights
// are learned from the even half of the dev text dumps by TestTrainLines
// (go test ./internal/clean/ -run TestTrainLines -update) and written to
// linemodel_weights.go.

// Feature positions in a stage-one vector.
const (
	fBias = iota
	fHeuristic
	fInRegion
	fGood
	fBad
	fWeak
	fLogWords
	fTerminal
	fUpper
	fNav
	fCrumb
	fSymbols
	fPointer
	fStop
	fProse
	fPos
	fPrevHeur
	fNextHeur
	fPrevWords
	fNextWords
	fPrevTerminal
	fNextTerminal
	fRepeated
	fTitleShare
	fCommas
	fDigits
	fWordLen
	fColon
	fCaps
	fSentences
	fRelWords
	fRegionDist
	fWindowGood
	fBullet
	fPipe
	fQuestion
	fAcross
	fShort
	fLong
	fHeadingBefore
	fWords1
	fWords3
	fWords8
	fWords15
	fWords25
	fDatesNear
	fShortNear
	fEllipsis
	fAfterFooter
	fGoodBefore
	fGoodAfter
	fGoodInside
	fAfterTitle
	fTitleDist
	fBeforeTitle
	fURL
	fQuoted
	fDigitStart
	nStage1
)

// Stage two adds the stage-one probabilities around the line.
const (
	fP = nStage1 + iota
	fPPrev
	fPNext
	fPWindow
	fPWindowMin
	fPBlock
	fPBlockDist
	fPBlockOther
	fPSandwich
	nStage2
)

// stage1Names label the weights in the generated file.
var stage1Names = [nStage1]string{
	"bias", "heuristic", "inRegion", "good", "bad", "weak", "logWords", "terminal", "upper", "nav", "crumb",
	"symbols", "pointer", "stop", "prose", "pos", "prevHeur", "nextHeur", "prevWords", "nextWords",
	"prevTerminal", "nextTerminal", "repeated", "titleShare", "commas", "digits", "wordLen", "colon", "caps",
	"sentences", "relWords", "regionDist", "windowGood", "bullet", "pipe", "question", "across", "short", "long",
	"headingBefore", "words1", "words3", "words8", "words15", "words25",
	"datesNear", "shortNear", "ellipsis", "afterFooter", "goodBefore", "goodAfter", "goodInside",
	"afterTitle", "titleDist", "beforeTitle", "url", "quoted", "digitStart",
}

var stage2Names = [nStage2 - nStage1]string{"p", "pPrev", "pNext", "pWindow", "pWindowMin", "pBlock", "pBlockDist", "pBlockOther", "pSandwich"}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

func dot(w, x []float64) float64 {
	var s float64
	for i := range x {
		s += w[i] * x[i]
	}
	return s
}

// neighbours returns, for each line, the nearest line before and after it
// that no rule decided (-1 when none).
func (d *doc) neighbours() (prev, next []int) {
	n := len(d.fs)
	prev, next = make([]int, n), make([]int, n)
	last := -1
	for i := d.start; i < n; i++ {
		prev[i] = last
		if !d.fs[i].rule {
			last = i
		}
	}
	last = -1
	for i := n - 1; i >= d.start; i-- {
		next[i] = last
		if !d.fs[i].rule {
			last = i
		}
	}
	return prev, next
}

// vectors1 returns the stage-one features of every line no rule decided
// (nil for the others).
func (d *doc) vectors1(pr params) [][]float64 {
	n := len(d.fs)
	heur := make([]bool, n)
	maxWords := 1.0
	lo, hi := n, -1
	for i := d.start; i < n; i++ {
		f := d.fs[i]
		if f.rule {
			continue
		}
		heur[i] = d.heuristic(i, pr)
		maxWords = max(maxWords, f.words)
		if d.in[i] {
			lo, hi = min(lo, i), max(hi, i)
		}
	}
	prev, next := d.neighbours()
	span := float64(max(n-d.start, 1))
	// Body words before each line, and the first footer line (a copyright or
	// consent notice).
	cum := make([]float64, n+1)
	footer := n
	for i := d.start; i < n; i++ {
		f := d.fs[i]
		cum[i+1] = cum[i]
		if !f.rule && f.cls == good {
			cum[i+1] += f.words
		}
		if f.rule && f.kind == Furniture && footer == n && i > d.start+(n-d.start)/2 {
			footer = i
		}
	}
	total := max(cum[n], 1)
	// The headline printed again above the article marks where it starts.
	firstTitle, lastTitle := -1, -1
	for i := d.start; i < n; i++ {
		if f := d.fs[i]; f.rule && f.kind == Title {
			if firstTitle < 0 {
				firstTitle = i
			}
			lastTitle = i
		}
	}
	out := make([][]float64, n)
	for i := d.start; i < n; i++ {
		f := d.fs[i]
		if f.rule {
			continue
		}
		x := make([]float64, nStage1, nStage2)
		x[fBias] = 1
		x[fHeuristic] = b2f(heur[i])
		x[fInRegion] = b2f(d.in[i])
		x[fGood] = b2f(f.cls == good)
		x[fBad] = b2f(f.cls == bad)
		x[fWeak] = b2f(f.weak)
		x[fLogWords] = math.Log1p(f.words) / 4
		x[fTerminal] = b2f(f.terminal)
		x[fUpper] = b2f(f.upper)
		x[fNav] = float64(min(f.nav, 3)) / 3
		x[fCrumb] = b2f(f.crumb)
		x[fSymbols] = f.symbols
		x[fPointer] = b2f(f.pointer)
		if d.prose {
			x[fStop] = f.stop
		}
		x[fProse] = b2f(d.prose)
		x[fPos] = float64(i-d.start) / span
		if j := prev[i]; j >= 0 {
			x[fPrevHeur] = b2f(heur[j])
			x[fPrevWords] = math.Log1p(d.fs[j].words) / 4
			x[fPrevTerminal] = b2f(d.fs[j].terminal)
		}
		if j := next[i]; j >= 0 {
			x[fNextHeur] = b2f(heur[j])
			x[fNextWords] = math.Log1p(d.fs[j].words) / 4
			x[fNextTerminal] = b2f(d.fs[j].terminal)
		}
		x[fRepeated] = b2f(d.counts[f.text] >= 2)
		x[fTitleShare] = titleShare(f.text, d.words)
		s := shapeOf(f.text)
		x[fCommas] = min(float64(s.commas)/max(f.words, 1)*4, 1)
		x[fDigits] = s.digitShare
		x[fWordLen] = min(s.wordLen/10, 1.5)
		x[fColon] = b2f(strings.HasSuffix(f.text, ":"))
		x[fCaps] = s.capsShare
		x[fSentences] = math.Log1p(float64(s.sentences)) / 3
		x[fRelWords] = f.words / maxWords
		switch {
		case hi < 0:
			x[fRegionDist] = 1
		case i < lo:
			x[fRegionDist] = math.Log1p(float64(lo-i)) / 5
		case i > hi:
			x[fRegionDist] = math.Log1p(float64(i-hi)) / 5
		}
		var g, m float64
		for j := max(d.start, i-3); j <= min(n-1, i+3); j++ {
			if j != i && !d.fs[j].rule {
				m++
				g += b2f(d.fs[j].cls == good)
			}
		}
		if m > 0 {
			x[fWindowGood] = g / m
		}
		x[fBullet] = b2f(s.bullet)
		x[fPipe] = b2f(strings.ContainsAny(f.text, "|•·"))
		x[fQuestion] = b2f(strings.HasSuffix(strings.TrimRight(f.text, `"'”’»)`), "?"))
		x[fAcross] = b2f(f.across)
		x[fShort] = b2f(f.words <= 3)
		x[fLong] = b2f(f.words >= 30)
		// A widget heading ("related", "about the author") just above.
		for j, k := prev[i], 0; j >= 0 && k < 3; j, k = prev[j], k+1 {
			g := d.fs[j]
			if g.words <= 6 && !g.terminal && (g.nav > 0 || g.pointer || strings.HasSuffix(g.text, ":")) {
				x[fHeadingBefore] = 1
				break
			}
			if g.cls == good {
				break
			}
		}
		var dates, short, m2 float64
		for j := max(d.start, i-3); j <= min(n-1, i+3); j++ {
			if j == i {
				continue
			}
			g := d.fs[j]
			switch {
			case g.rule && g.kind == Byline:
				dates++
			case !g.rule:
				m2++
				short += b2f(g.words <= 6 && !g.terminal)
			}
		}
		x[fDatesNear] = min(dates, 3) / 3
		if m2 > 0 {
			x[fShortNear] = short / m2
		}
		x[fEllipsis] = b2f(strings.HasSuffix(f.text, "…") || strings.HasSuffix(f.text, "..."))
		x[fAfterFooter] = b2f(i > footer)
		x[fGoodBefore] = cum[i] / total
		x[fGoodAfter] = (total - cum[i+1]) / total
		x[fGoodInside] = min(x[fGoodBefore], x[fGoodAfter]) * 2
		if firstTitle >= 0 && i > firstTitle {
			x[fAfterTitle] = 1
			x[fTitleDist] = math.Log1p(float64(i-firstTitle)) / 5
		}
		x[fBeforeTitle] = b2f(i < lastTitle)
		x[fURL] = b2f(strings.Contains(f.text, "://") || strings.Contains(f.text, "www."))
		x[fQuoted] = b2f(strings.ContainsAny(f.text, "\"“”„«»"))
		first, _ := utf8.DecodeRuneInString(f.text)
		x[fDigitStart] = b2f(unicode.IsDigit(first))
		w := f.words
		x[fWords1] = b2f(w <= 1)
		x[fWords3] = b2f(w > 1 && w <= 3)
		x[fWords8] = b2f(w > 3 && w <= 8)
		x[fWords15] = b2f(w > 8 && w <= 15)
		x[fWords25] = b2f(w > 15 && w <= 25)
		out[i] = x
	}
	return out
}

// vectors2 extends the stage-one vectors in place with the stage-one
// probabilities p of the line and of its neighbours.
func (d *doc) vectors2(xs [][]float64, p []float64) {
	prev, next := d.neighbours()
	n := len(d.fs)
	for i, x := range xs {
		if x == nil {
			continue
		}
		x = x[:nStage2]
		x[fP] = p[i]
		x[fPPrev], x[fPNext] = 0.5, 0.5
		if j := prev[i]; j >= 0 {
			x[fPPrev] = p[j]
		}
		if j := next[i]; j >= 0 {
			x[fPNext] = p[j]
		}
		x[fPSandwich] = min(x[fPPrev], x[fPNext])
		var s, m float64
		lowest := 1.0
		for j := max(d.start, i-4); j <= min(n-1, i+4); j++ {
			if j != i && xs[j] != nil {
				s += p[j]
				m++
				lowest = min(lowest, p[j])
			}
		}
		x[fPWindow], x[fPWindowMin] = 0.5, 0.5
		if m > 0 {
			x[fPWindow], x[fPWindowMin] = s/m, lowest
		}
		xs[i] = x
	}
	// The best run of lines by stage-one log odds, and any other run
	// scoring a good share of it: the body as the first stage sees it.
	score := make([]float64, n)
	for i, x := range xs {
		if x != nil {
			q := min(max(p[i], 1e-4), 1-1e-4)
			score[i] = math.Log(q / (1 - q))
		}
	}
	lo, hi, best := bestRun(score, d.start, n)
	for i, x := range xs {
		if x == nil {
			continue
		}
		switch {
		case i >= lo && i < hi:
			x[fPBlock] = 1
		case i < lo:
			x[fPBlockDist] = math.Log1p(float64(lo-i)) / 5
		default:
			x[fPBlockDist] = math.Log1p(float64(i-hi+1)) / 5
		}
	}
	for _, sp := range [][2]int{{d.start, lo}, {hi, n}} {
		if l, h, sc := bestRun(score, sp[0], sp[1]); sc >= 0.3*best && best > 0 {
			for i := l; i < h; i++ {
				if xs[i] != nil {
					xs[i][fPBlockOther] = 1
				}
			}
		}
	}
}

// bestRun is the run of score[lo:hi] with the largest sum.
func bestRun(score []float64, lo, hi int) (int, int, float64) {
	best, bestLo, bestHi := 0.0, lo, lo
	cur, curLo := 0.0, lo
	for i := lo; i < hi; i++ {
		if cur <= 0 {
			cur, curLo = 0, i
		}
		cur += score[i]
		if cur > best {
			best, bestLo, bestHi = cur, curLo, i+1
		}
	}
	return bestLo, bestHi, best
}

// scorer gives a feature vector's log odds of being body.
type scorer interface {
	logit(x []float64) float64
}

// linear is a logistic regression's weights.
type linear []float64

func (w linear) logit(x []float64) float64 { return dot(w, x) }

// predict returns each line's probability of being body after stage one
// (m2 nil) or both stages, and the feature vectors (for training). With m1
// nil it returns the stage-one vectors alone.
func (d *doc) predict(pr params, m1, m2 scorer) ([]float64, [][]float64) {
	xs := d.vectors1(pr)
	if m1 == nil {
		return nil, xs
	}
	p := make([]float64, len(xs))
	for i, x := range xs {
		// A line the lexicon names furniture is removed whatever the model
		// says; its neighbours see it so.
		if x != nil && !d.fs[i].strong {
			p[i] = sigmoid(m1.logit(x))
		}
	}
	if m2 == nil {
		return p, xs
	}
	d.vectors2(xs, p)
	p2 := make([]float64, len(xs))
	for i, x := range xs {
		if x != nil {
			p2[i] = sigmoid(m2.logit(x))
		}
	}
	return p2, xs
}

// titleShare is the share of the line's words that are title words.
func titleShare(l string, title []string) float64 {
	if len(title) == 0 {
		return 0
	}
	ws := strings.Fields(strings.ToLower(l))
	if len(ws) == 0 {
		return 0
	}
	hit := 0
	for _, w := range ws {
		for _, t := range title {
			if w == t {
				hit++
				break
			}
		}
	}
	return float64(hit) / float64(len(ws))
}

type shape struct {
	commas, sentences     int
	digitShare, capsShare float64
	wordLen               float64
	bullet                bool
}

// shapeOf measures the punctuation and letter case of a line.
func shapeOf(l string) shape {
	var s shape
	var letters, uppers, digits, runes, wordRunes, words int
	inWord := false
	prevEnd := false
	for _, r := range l {
		runes++
		switch {
		case r == ',' || r == '،' || r == '、' || r == '，':
			s.commas++
		case r == '.' || r == '!' || r == '?' || r == '。' || r == '！' || r == '？':
			prevEnd = true
			inWord = false
			continue
		}
		if r == ' ' && prevEnd {
			s.sentences++
		}
		prevEnd = false
		switch {
		case unicode.IsLetter(r):
			letters++
			if unicode.IsUpper(r) {
				uppers++
			}
			wordRunes++
			if !inWord {
				words++
				inWord = true
			}
		case unicode.IsDigit(r):
			digits++
			inWord = false
		default:
			inWord = false
		}
	}
	if prevEnd {
		s.sentences++
	}
	if runes > 0 {
		s.digitShare = float64(digits) / float64(runes)
	}
	if letters > 0 {
		s.capsShare = float64(uppers) / float64(letters)
	}
	if words > 0 {
		s.wordLen = float64(wordRunes) / float64(words)
	}
	first, _ := utf8.DecodeRuneInString(l)
	s.bullet = strings.ContainsRune("-–—•·*►▶→✓✔", first)
	return s
}
