package compare

import (
	"strings"

	"github.com/dossiernews/dossier/internal/words"
)

// elapsed is a time elapsed since a start ("94 seconds into the flight"),
// in seconds.
type elapsed struct{ seconds float64 }

func (a elapsed) compatible(o value) bool {
	b, ok := o.(elapsed)
	return ok && a.seconds == b.seconds
}

func (a elapsed) width() float64 { return 1 }

func (a elapsed) mentionedIn(d *doc) bool {
	for _, s := range d.elapsed {
		if s == a.seconds {
			return true
		}
	}
	return false
}

// elapsedUnits are the units of an elapsed time, in seconds.
var elapsedUnits = map[string]float64{"second": 1, "seconds": 1, "minute": 60, "minutes": 60, "hour": 3600, "hours": 3600}

// readElapsed reads "94 seconds into", "two minutes after": a time since a
// start, which becomes a fact of the event its clause tells.
func (d *doc) readElapsed(si int) {
	first, past := d.sentToks[si][0], d.sentToks[si][1]
	for i := first; i < past; i++ {
		if d.used[i] {
			continue
		}
		n, ok := words.ReadNumber(d.text, d.toks, i)
		if !ok || n.Last+2 >= past || !d.spaced(n.Last) || !d.spaced(n.Last+1) {
			continue
		}
		unit, ok := elapsedUnits[d.norm(n.Last+1)]
		if !ok || d.norm(n.Last+2) != "into" && d.norm(n.Last+2) != "after" {
			continue
		}
		v := elapsed{n.Value * unit}
		d.elapsed = append(d.elapsed, v.seconds)
		d.markUsed(n.First, n.Last+1)
		d.addFrames(si, n.First, n.Last+1, "elapsed", "when", v)
		i = n.Last + 1
	}
}

// modalWords make a clause's event one not (yet) happened.
var modalWords = words.Set("will would could may might should must plans planned plan expected due set scheduled hopes")

// irregularNouns are irregular forms that are not verbs.
var irregularNouns = words.Set("men women children")

// frameVerb says whether a word may be a clause's main verb.
func frameVerb(w string) bool {
	if irregularNouns[w] || words.IsCalendar(w) || words.IsStop(w) {
		return false
	}
	return strings.HasSuffix(w, "ed") && len(w) > 4 || words.Base(w) != w
}

// addFrames keys a temporal value written in tokens [vFirst, vLast] by the
// event its clause tells: the clause's subject heads, and its verb with
// each of its participants (subject, object, agent), so that "the dam was
// approved by the government in 2021" and "the government, which approved
// the dam in 2020" meet on the verb and the government, whatever the voice.
func (d *doc) addFrames(si, vFirst, vLast int, kind, label string, v value) {
	first := d.sentToks[si][0]
	if vFirst > first && eventDeterminers[d.norm(vFirst-1)] {
		return // "the January 1955 issue" dates the issue, not the clause
	}
	start, opener := vFirst, ""
	for start > first {
		j := start - 1
		if clauseGap(d.gap(j)) {
			break
		}
		w := d.norm(j)
		if clauseWords[w] {
			opener = w
			break
		}
		if sayVerbs[w] {
			break
		}
		start = j
	}
	verb := -1
	var subj, parts []string
	var subjName []bool
	head, skipping, headName, hasObject := "", false, false, false
	flush := func() {
		if head == "" {
			return
		}
		if verb < 0 {
			subj = append(subj, head)
			subjName = append(subjName, headName)
		} else {
			parts = append(parts, head)
		}
		head = ""
	}
	for j := start; j < vFirst; j++ {
		w := d.norm(j)
		if modalWords[w] || sayVerbs[w] {
			return
		}
		if d.used[j] || d.toks[j].Kind != words.Word {
			continue
		}
		if verb >= 0 && eventDeterminers[w] {
			hasObject = true
		}
		switch {
		case verb < 0 && frameVerb(w):
			flush()
			verb, skipping = j, false
		case verb >= 0 && frameVerb(w):
			// "when Williams was arrested were released": the last verb
			// before the value is the one it dates.
			verb, parts, hasObject = j, nil, false
			head = ""
		case skipping:
		case words.IsStop(w) || len(w) < 3:
			// "talks with the port authority": a phrase after the
			// subject's head is not the subject; "round of talks" is.
			if verb < 0 && w != "of" && head != "" {
				skipping = true
			}
			flush()
		default:
			head, headName = stem(w), d.nameLike(j)
		}
	}
	flush()
	if verb < 0 {
		return
	}
	// "the government, which approved the dam": the relative clause's
	// subject is the phrase before it.
	if len(subj) == 0 && (opener == "which" || opener == "who") && start-1 > first && strings.Contains(d.gap(start-2), ",") {
		for j := start - 2; j >= first; j-- {
			w := d.norm(j)
			if d.toks[j].Kind == words.Word && !words.IsStop(w) {
				subj = append(subj, stem(w))
				subjName = append(subjName, d.nameLike(j))
				break
			}
			if clauseGap(d.gap(j - 1)) {
				break
			}
		}
	}
	vs := stem(d.norm(verb))
	if b := words.Base(d.norm(verb)); b != d.norm(verb) {
		vs = stem(b)
	}
	about := label + " " + d.about(start) + d.text[d.toks[start].End:d.toks[verb].End]
	end := d.toks[vLast].Start + len(trimPossessive(d.toks[vLast].Text))
	keys := map[string]bool{}
	// A subject alone keys only a common noun without an object: a person
	// or a council does many things on many days, "the talks" one.
	for i, s := range subj {
		if !subjName[i] && !hasObject {
			keys["frame|"+kind+"|subject|"+s] = true
		}
	}
	for _, p := range append(subj, parts...) {
		keys["frame|"+kind+"|"+vs+"|"+p] = true
	}
	for _, k := range sortedSet(mapKeys(keys)) {
		d.add(fact{key: k, about: about, val: v, start: d.toks[vFirst].Start, end: end, sent: d.sents[si]})
	}
}

func mapKeys(m map[string]bool) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// nameLike says whether token j is capitalised as a name is: a sentence's
// first word counts as one unless the report writes it in lower case too.
func (d *doc) nameLike(j int) bool {
	t := d.toks[j].Text
	if !isUpper(t) {
		return false
	}
	if !d.sentenceStart(j) {
		return true
	}
	if d.lowerWords == nil {
		d.lowerWords = map[string]bool{}
		for _, k := range d.toks {
			if k.Kind == words.Word && !isUpper(k.Text) {
				d.lowerWords[k.Text] = true
			}
		}
	}
	return !d.lowerWords[words.Norm(t)]
}
