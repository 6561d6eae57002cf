package compare

import (
	"fmt"
	"strings"

	"github.com/dossiernews/dossier/internal/words"
)

// tally is a vote's count, larger side first: "52-48" and "48 to 52" are one.
type tally struct{ more, fewer int }

func (a tally) compatible(o value) bool { b, ok := o.(tally); return ok && a == b }
func (a tally) width() float64          { return 1 }
func (a tally) mentionedIn(d *doc) bool {
	for _, m := range d.tallies {
		if m == a {
			return true
		}
	}
	return false
}

// voteWords make a pair of counts a vote's tally rather than a score.
var voteWords = words.Set("vote votes voted voting ballot ballots passed approved confirmed rejected defeated adopted")

// voteBodies say who voted: a tally of the Senate is not the House's.
var voteBodies = words.Set(`senate house assembly parliament congress council committee court board commission
	legislature chamber panel jury cabinet`)

// voteKinds tell the votes on one bill apart.
var voteKinds = words.Set("final procedural test cloture preliminary initial first second third")

// readTallies reads "voted 52-48", "by a vote of 51 to 49", "the 69-30
// vote" in a sentence that speaks of voting.
func (d *doc) readTallies(si int) {
	first, past := d.sentToks[si][0], d.sentToks[si][1]
	vote, body, kind := false, "", ""
	for k := first; k < past; k++ {
		w := d.norm(k)
		vote = vote || voteWords[w]
		if body == "" && voteBodies[w] && isUpper(d.toks[k].Text) {
			body = w
		}
		if kind == "" && voteKinds[w] {
			kind = w
		}
	}
	if !vote {
		return
	}
	for i := first; i+1 < past; i++ {
		if d.used[i] || d.toks[i].Kind != words.Number {
			continue
		}
		j := i + 1
		switch g := d.gap(i); {
		case g == "-" || g == "–":
		case strings.TrimSpace(g) == "" && d.norm(j) == "to" && j+1 < past && d.spaced(j):
			j++
		default:
			continue
		}
		if d.toks[j].Kind != words.Number || j+1 < past && d.toks[j+1].Start == d.toks[j].End {
			continue
		}
		// The vote is said next to the tally: "voted 52-48", "passed the
		// Senate 92-6", "by a vote of 51 to 49", "the 19-0 vote".
		near := j+1 < past && voteWords[d.norm(j+1)] && d.spaced(j)
		for k := i - 1; k >= first && k >= i-4 && !near; k-- {
			near = voteWords[d.norm(k)]
			if clauseGap(d.gap(k)) {
				break
			}
		}
		if !near {
			continue
		}
		a, okA := plainCount(d.toks[i].Text)
		b, okB := plainCount(d.toks[j].Text)
		if !okA || !okB || i > 0 && glued(d.text, d.toks[i].Start) {
			continue
		}
		v := tally{max(a, b), min(a, b)}
		d.tallies = append(d.tallies, v)
		d.markUsed(i, j)
		about := "vote"
		if body != "" {
			about = body + " vote"
		}
		if kind != "" {
			about = kind + " " + about
		}
		d.add(fact{key: fmt.Sprintf("tally|%s|%s", body, kind), about: about, val: v, start: d.toks[i].Start, end: d.toks[j].End, sent: d.sents[si]})
		i = j
	}
}

// plainCount reads a count of votes: digits, no separators, under 1,000.
func plainCount(s string) (int, bool) {
	if len(s) > 3 {
		return 0, false
	}
	n := atoi(s)
	return n, n > 0 || s == "0"
}

// glued says whether the digits at start hang on a word ("COVID-19").
func glued(text string, start int) bool {
	if start == 0 {
		return false
	}
	c := text[start-1]
	return c == '-' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
