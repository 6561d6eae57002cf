package compare

import (
	"slices"
	"strings"

	"github.com/dossiernews/dossier/internal/words"
)

// name is an organisation or person as a value: who hosted, led, won.
type name struct {
	key  string   // nameKey of the name as written
	toks []string // its words, titles and connectors left out
	// aliases are the other names the report gives it: its acronym, or
	// the name an acronym stands for.
	aliases []string
	surface string
}

func (a name) compatible(o value) bool {
	b, ok := o.(name)
	if !ok {
		return false
	}
	for _, x := range a.forms() {
		for _, y := range b.forms() {
			if sameName(x, y) {
				return true
			}
		}
	}
	return false
}

func (a name) forms() []string { return append([]string{a.key}, a.aliases...) }

// sameName says whether two name keys may name one body: equal, one
// holding every word of the other ("Harbour Pilots Guild" and "the Calder
// Harbour Pilots Guild"), or one the acronym of the other.
func sameName(x, y string) bool {
	if x == y {
		return true
	}
	xs, ys := nameWords(x), nameWords(y)
	if len(xs) == 0 || len(ys) == 0 {
		return false
	}
	if len(xs) > len(ys) {
		xs, ys = ys, xs
	}
	in := map[string]bool{}
	for _, w := range ys {
		in[w] = true
	}
	all := true
	for _, w := range xs {
		if !in[w] {
			all = false
		}
	}
	if all {
		return true
	}
	if len(xs) == 1 {
		return xs[0] == initials(ys)
	}
	return false
}

func nameWords(k string) []string {
	var out []string
	for _, w := range strings.Fields(k) {
		if !nameConnectors[w] && !honorifics[w] {
			out = append(out, w)
		}
	}
	return out
}

func initials(ws []string) string {
	var b strings.Builder
	for _, w := range ws {
		b.WriteString(w[:1])
	}
	return b.String()
}

func (a name) width() float64 { return 1 / float64(1+len(a.toks)) }

func (a name) mentionedIn(d *doc) bool {
	for _, f := range a.forms() {
		if containsWords(d.lower(), f) {
			return true
		}
	}
	return false
}

// lower is the report's text in lower case, words only, for finding a
// name anywhere in it.
func (d *doc) lower() string {
	if d.lowerText == "" {
		var b strings.Builder
		b.WriteByte(' ')
		for _, t := range d.toks {
			if w := strings.TrimSuffix(words.Norm(t.Text), "'s"); w != "the" {
				b.WriteString(w)
				b.WriteByte(' ')
			}
		}
		d.lowerText = b.String()
	}
	return d.lowerText
}

func containsWords(text, key string) bool {
	ws := nameWords(key)
	if len(ws) == 0 {
		return false
	}
	return strings.Contains(text, " "+strings.Join(strings.Fields(key), " ")+" ")
}

// honorifics and titles before a name are not part of it.
var honorifics = words.Set("mr mrs ms dr prof sir dame lord lady president sen rep gov")

// relations are the verbs of who organised, hosted, led or won, by the
// relation they state.
var relations = map[string]string{
	"hosted": "hosted", "co-hosted": "hosted", "hosts": "hosted",
	"organised": "organised", "organized": "organised", "co-organised": "organised", "co-organized": "organised",
	"organises": "organised", "organizes": "organised",
	"sponsored": "sponsored", "co-sponsored": "sponsored", "sponsors": "sponsored",
	"led": "led", "leads": "led", "co-led": "led",
	"won": "won", "wins": "won",
	"convened": "convened", "convenes": "convened",
	"chaired": "chaired", "chairs": "chaired",
	"moderated": "moderated", "moderates": "moderated",
}

// gatherings are one kind of object: within a story, "the forum" and "the
// panel discussion" someone hosted are the same event.
var gatherings = words.Set(`seminar webinar conference forum symposium event talk discussion summit
	meeting session panel briefing workshop roundtable lecture dialogue gathering call debate
	convention congress colloquium hearing rally ceremony festival fair expo exhibition
	meet-up meetup town-hall townhall vigil protest march`)

// readAgents reads "X hosted by Y", "Y hosted X", "Y-hosted X", "Y, which
// hosted X": the value is the name Y, the key the relation and what X is.
func (d *doc) readAgents(si int) {
	first, past := d.sentToks[si][0], d.sentToks[si][1]
	for i := first; i < past; i++ {
		w := d.norm(i)
		rel, ok := relations[w]
		if !ok {
			// "the BICP-hosted forum", "a Norland-led coalition"
			// Only for hosts and organisers: "-led" and "-won" compounds take
			// adjectives ("Republican-led"), which outlets vary freely.
			if pre, verb, found := strings.Cut(d.toks[i].Text, "-"); found && isUpper(pre) {
				if r, ok := relations[words.Norm(verb)]; ok && (r == "hosted" || r == "organised") && d.spaced(i) {
					obj, objAbout := d.objectAfter(i, past)
					if obj != "" {
						d.addAgent(si, r, obj, objAbout, d.toks[i].Start, d.toks[i].Start+len(pre))
					}
				}
			}
			continue
		}
		// Passive: "a forum hosted by the Institute for ...".
		if i+2 < past && d.norm(i+1) == "by" && d.spaced(i) && d.spaced(i+1) {
			k := i + 2
			if d.norm(k) == "the" && d.spaced(k) {
				k++
			}
			last := d.nameEnd(k, past)
			if last < 0 || words.IsStop(d.norm(k)) {
				continue
			}
			obj, objAbout := d.objectBefore(i, first)
			d.addAgent(si, rel, obj, objAbout, d.toks[k].Start, d.toks[last].End)
			continue
		}
		// Active: "the Institute hosted the forum", "the Institute, which hosted".
		if i == first || rel == "won" && i+1 < past && d.toks[i+1].Kind == words.Number {
			continue // "won 52% of the vote" is a figure
		}
		j := i - 1
		switch {
		case (d.norm(j) == "which" || d.norm(j) == "who" || d.norm(j) == "that") && j > first && strings.TrimSpace(d.gap(j-1)) == "," && d.spaced(j):
			j--
		case !d.spaced(j):
			continue
		}
		fst := d.nameStart(j, max(first, j-10))
		if fst < 0 || isPronounLike(d.norm(fst)) {
			continue
		}
		obj, objAbout := d.objectAfter(i, past)
		if obj == "" {
			continue
		}
		d.addAgent(si, rel, obj, objAbout, d.toks[fst].Start, d.toks[j].End)
	}
}

func isPronounLike(w string) bool {
	return words.IsStop(w) || sayVerbs[w]
}

// objectBefore is the noun before a passive relation: "a forum hosted
// by", "the forum on river pollution was hosted by". A gathering anywhere
// in that noun phrase makes it one. It may be "" (then only another bare
// relation meets it).
func (d *doc) objectBefore(i, first int) (string, string) {
	j := i - 1
	for j >= first && auxiliaries[d.norm(j)] && d.spaced(j) {
		j--
	}
	if j > first && (d.norm(j) == "that" || d.norm(j) == "which") && d.spaced(j-1) {
		j-- // "a summit that was held"
	}
	if j < first || j < i-1 && !d.spaced(j) {
		return "", ""
	}
	if g := strings.TrimSpace(d.gap(j)); j == i-1 && g != "" && g != "," {
		return "", ""
	}
	if d.toks[j].Kind != words.Word || words.IsStop(d.norm(j)) {
		return "", ""
	}
	obj, about := objectClass(d.norm(j)), d.about(j)
	// The noun phrase, with the phrases hung on it: "a rally in the
	// Seamen's Hall", "the forum on river pollution".
	for k := j; k >= first && k > j-8; k-- {
		w := d.norm(k)
		if k < j && clauseGap(d.gap(k)) || sayVerbs[w] || relations[w] != "" {
			break
		}
		if objectClass(w) == "gathering" {
			return "gathering", d.about(k)
		}
	}
	return obj, about
}

// objectAfter is the noun an active relation governs: "hosted the evening
// forum" → forum. It is the last of the words before a function word.
func (d *doc) objectAfter(i, past int) (string, string) {
	j := i + 1
	for j < past && eventDeterminers[d.norm(j)] && d.spaced(j-1) {
		j++
	}
	obj, about := "", ""
	for n := 0; j < past && n < 3 && d.spaced(j-1) && d.toks[j].Kind == words.Word; j, n = j+1, n+1 {
		w := d.norm(j)
		if words.IsStop(w) || isUpper(d.toks[j].Text) {
			break
		}
		obj, about = objectClass(w), d.about(j)
		if clauseGap(d.gap(j)) {
			break
		}
	}
	return obj, about
}

func objectClass(w string) string {
	w = strings.TrimSuffix(w, "'s")
	s := stem(w)
	if gatherings[w] || gatherings[s] {
		return "gathering"
	}
	return s
}

func (d *doc) addAgent(si int, rel, obj, objAbout string, start, end int) {
	surface := d.text[start:end]
	k := nameKey(surface)
	if k == "" {
		return
	}
	n := name{key: k, toks: nameWords(k), surface: surface}
	for acr, names := range d.acronyms {
		for _, full := range names {
			if full == k || sameName(full, k) && len(nameWords(full)) == len(nameWords(k)) {
				n.aliases = append(n.aliases, strings.ToLower(acr))
			}
		}
		if strings.ToLower(acr) == k {
			n.aliases = append(n.aliases, names...)
		}
	}
	slices.Sort(n.aliases)
	about := rel + " by"
	if rel == "organised" && strings.Contains(strings.ToLower(d.text[d.sents[si].Start:d.sents[si].End]), "organiz") {
		about = "organized by"
	}
	if obj != "gathering" && obj != "" {
		about = objAbout + " " + about
	}
	d.add(fact{key: "agent|" + rel + "|" + obj, about: about, val: n, start: start, end: end, sent: d.sents[si]})
}

// placeVerbs say where something happened; each takes "in" or "at".
var placeVerbs = words.Set("held staged hosted happened occurred")

// venueWords make a place a building or ground rather than a town or
// country: "the Grand Hotel" and "Lund" are not rival answers.
var venueWords = words.Set(`hall center centre hotel stadium arena building house room park square church
	school university college palace castle museum theatre theater airport station court club
	library office headquarters ground grounds field campus chamber auditorium`)

// readPlaces reads where a thing was held: "the summit was held in Lund",
// "the rally took place at the Grand Hotel".
func (d *doc) readPlaces(si int) {
	first, past := d.sentToks[si][0], d.sentToks[si][1]
	for i := first; i+2 < past; i++ {
		w := d.norm(i)
		k := i + 1 // the preposition
		switch {
		case placeVerbs[w]:
		case w == "took" && d.norm(i+1) == "place" && d.spaced(i):
			k = i + 2
		default:
			continue
		}
		if k+1 >= past || !d.spaced(k-1) || !d.spaced(k) || d.norm(k) != "in" && d.norm(k) != "at" {
			continue
		}
		n := k + 1
		if d.norm(n) == "the" && d.spaced(n) {
			n++
		}
		last := d.nameEnd(n, past)
		if last < 0 || d.used[n] || words.IsStop(d.norm(n)) {
			continue
		}
		// "Lund, Norland": the country or region is part of the value.
		if last+1 < past && strings.TrimSpace(d.gap(last)) == "," && d.capWord(last+1, past) && !d.used[last+1] {
			if l := d.nameEnd(last+1, past); l >= 0 && l-last <= 3 {
				last = l
			}
		}
		kind := "locality"
		for x := n; x <= last; x++ {
			if venueWords[d.norm(x)] {
				kind = "venue"
			}
		}
		obj, objAbout := d.objectBefore(i, first)
		if obj == "" {
			continue
		}
		surface := d.text[d.toks[n].Start:d.toks[last].End]
		v := name{key: nameKey(surface), surface: surface}
		v.toks = nameWords(v.key)
		// Each part of "Lund, Norland" is a name the place goes by.
		for _, part := range strings.Split(surface, ",") {
			if p := nameKey(part); p != v.key && p != "" {
				v.aliases = append(v.aliases, p)
			}
		}
		about := "where it was held"
		if obj != "gathering" {
			about = "where the " + objAbout + " was held"
		}
		d.add(fact{key: "place|" + kind + "|" + obj, about: about, val: v, start: d.toks[n].Start, end: d.toks[last].End, sent: d.sents[si]})
	}
}
