package compare

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/quote"
	"github.com/dossiernews/dossier/internal/words"
)

// Templates of a generated story: facts each in a few wordings, remarks of
// three speakers in a few wordings, and words for sentences only one
// article has. {n} is a number, {p} a place.
var (
	benchFacts = [][]string{
		{"Fire broke out at the Veldhaven grain terminal on {d} evening.", "A fire started at the grain terminal in Veldhaven on {d} evening."},
		{"Crews from {n} stations fought the blaze through the night.", "Firefighters from {n} stations battled the fire overnight."},
		{"The terminal stores wheat and barley for export to {p}.", "Wheat and barley bound for {p} are stored at the terminal."},
		{"Two workers were treated for smoke inhalation at Veldhaven General.", "Veldhaven General treated two workers for smoke inhalation."},
		{"The harbour was closed to shipping until noon on the next day.", "Shipping in the harbour stopped until the following noon."},
		{"Investigators said the fire began in a conveyor housing.", "The blaze started inside a conveyor housing, investigators said."},
		{"The terminal handled {n} tonnes of grain last year.", "Last year {n} tonnes of grain passed through the terminal."},
		{"Residents of the {p} quarter were told to keep windows shut.", "People living in the {p} quarter were asked to close their windows."},
		{"The operator, Kestrel Bulk, said it would pay for the clean-up.", "Kestrel Bulk, which runs the terminal, promised to cover the clean-up."},
		{"Smoke could be seen from the coast road for hours.", "For hours the smoke was visible from the coast road."},
		{"A similar fire damaged the terminal in {y}.", "The terminal was also hit by a fire in {y}."},
		{"Insurers put the damage at {n} million crowns.", "Damage was estimated by insurers at {n} million crowns."},
		{"Rail deliveries to the port were diverted to {p}.", "Trains bound for the port went to {p} instead."},
		{"The city council will hold an inquiry next month.", "An inquiry by the city council is due next month."},
		{"Dockers' union officials met the operator on {d}.", "On {d} union officials for the dockers met the operator."},
	}
	benchRemarks = []struct {
		speaker, role string
		wordings      [][]string // per remark, its wordings
	}{
		{"Ilse Marek", "fire chief", [][]string{
			{"We kept the fire away from the fuel depot, and that saved the harbour", "That saved the harbour: we kept the fire away from the fuel depot"},
			{"The conveyor housing was already burning when the first crew arrived", "When our first crew arrived the conveyor housing was already burning"},
			{"Nobody should go near the terminal until we have checked the silos", "Until we've checked the silos nobody should go near the terminal"},
		}},
		{"Tomas Brink", "harbour master", [][]string{
			{"We will reopen the harbour as soon as the smoke clears", "We'll reopen the harbour once the smoke clears"},
			{"Ships waiting offshore will be brought in by order of arrival", "The ships waiting offshore come in by order of arrival"},
		}},
		{"Kestrel Bulk", "", [][]string{
			{"We are working closely with the fire service and the port authority", "We're working closely with the port authority and fire service"},
			{"Our thoughts are with the two workers and their families", "Our thoughts are with the workers and their families"},
		}},
	}
	benchCues   = []string{"%s said", "said %s", "%s told reporters", "%s added"}
	benchPlaces = []string{"Orrin", "Tamsk", "Solvik", "Harrowby", "Lune", "Pellan"}
	benchDays   = []string{"Monday", "Tuesday", "Wednesday", "Thursday"}
	benchOwn    = []string{
		"Local historian {name} recalled that the {a} and the {b} had stood on the quay since {old}.",
		"A neighbour, {name}, filmed the {a} collapsing onto the {b} from a rooftop.",
		"{name}, who ran the {a} canteen for {n} years, lost the {b} she kept there.",
	}
	benchSyllables = strings.Fields("ka lo mi ren tas vor el uth ba sin dra pel ost gu fen ril")
)

// pseudoWord makes a word no template and no other article has, so that
// what one article says with it is its own.
func pseudoWord(rng *rand.Rand, used map[string]bool, name bool) string {
	var w string
	for w == "" || used[w] {
		var b strings.Builder
		for range 4 {
			b.WriteString(benchSyllables[rng.IntN(len(benchSyllables))])
		}
		w = b.String()
	}
	used[w] = true
	if name {
		w = strings.ToUpper(w[:1]) + w[1:]
	}
	return w
}

// ownSentence is where a generated article's own sentence starts.
type ownSentence struct {
	article string
	start   int
}

func reportText(reports []Report, id string) string {
	for _, r := range reports {
		if r.Article.ID == id {
			return r.Article.Text
		}
	}
	return ""
}

// benchStory generates a story of n reports with quotes and offsets, and
// tells where each article's own sentences are.
func benchStory(n int) ([]Report, map[ownSentence]bool) { return benchStoryOf(n, false) }

// rewordedStory is benchStory with about a fifth of each fact sentence's
// words dropped, as reports in their own words have it: no two reports
// then share a sentence word for word, and every sentence must be
// weighed against its counterparts.
func rewordedStory(n int) []Report {
	reports, _ := benchStoryOf(n, true)
	return reports
}

func benchStoryOf(n int, reword bool) ([]Report, map[ownSentence]bool) {
	own := map[ownSentence]bool{}
	used := map[string]bool{}
	rng := rand.New(rand.NewPCG(7, uint64(n)))
	reports := make([]Report, n)
	for i := range reports {
		var b strings.Builder
		var quotes []dossier.Quote
		para := func(s string) {
			if b.Len() > 0 {
				b.WriteString("\n\n")
			}
			b.WriteString(s)
		}
		fill := func(s string) string {
			s = strings.ReplaceAll(s, "{n}", fmt.Sprint(2+rng.IntN(40)))
			s = strings.ReplaceAll(s, "{y}", fmt.Sprint(1990+rng.IntN(30)))
			s = strings.ReplaceAll(s, "{p}", benchPlaces[rng.IntN(len(benchPlaces))])
			return strings.ReplaceAll(s, "{d}", benchDays[rng.IntN(len(benchDays))])
		}
		for _, f := range rng.Perm(len(benchFacts))[:8+rng.IntN(6)] {
			v := benchFacts[f]
			f := fill(v[rng.IntN(len(v))])
			if reword {
				ws := strings.Fields(f)
				kept := ws[:0]
				for _, w := range ws {
					if rng.IntN(5) != 0 {
						kept = append(kept, w)
					}
				}
				f = strings.Join(kept, " ")
			}
			para(f)
			if rng.IntN(3) == 0 {
				sp := benchRemarks[rng.IntN(len(benchRemarks))]
				ws := sp.wordings[rng.IntN(len(sp.wordings))]
				w := ws[rng.IntN(len(ws))]
				cue := fmt.Sprintf(benchCues[rng.IntN(len(benchCues))], sp.speaker)
				if b.Len() > 0 {
					b.WriteString("\n\n")
				}
				b.WriteString("\"")
				start := b.Len()
				b.WriteString(w)
				quotes = append(quotes, dossier.Quote{Text: w, Speaker: sp.speaker, Role: sp.role, Start: start, End: b.Len()})
				b.WriteString(",\" " + cue + ".")
			}
		}
		// Sentences only this article has: a name, things and a year no
		// other article gives, in one of a few frames.
		for range 1 + rng.IntN(2) {
			f := benchOwn[rng.IntN(len(benchOwn))]
			f = strings.Replace(f, "{name}", pseudoWord(rng, used, true)+" "+pseudoWord(rng, used, true), 1)
			f = strings.Replace(f, "{a}", pseudoWord(rng, used, false), 1)
			f = strings.Replace(f, "{b}", pseudoWord(rng, used, false), 1)
			f = strings.Replace(f, "{old}", fmt.Sprint(1700+rng.IntN(200)), 1)
			f = fill(f)
			para(f)
			own[ownSentence{fmt.Sprintf("a%03d", i), b.Len() - len(f)}] = true
		}
		reports[i] = Report{Article: dossier.Article{ID: fmt.Sprintf("a%03d", i), Outlet: fmt.Sprintf("Outlet %d", i), Text: b.String(), Quotes: quotes}}
		if i%5 == 0 {
			reports[i].CopyOutlets = []string{fmt.Sprintf("Reprint %d", i)}
		}
	}
	return reports, own
}

// BenchmarkCompare measures a whole story comparison (remarks, unique
// sentences, conflicts) on generated stories of 50 and 500 articles: the
// targets are 200 ms and 3 s on the 2-core machine. The reworded stories
// share no sentence word for word, so that every sentence is weighed
// against its counterparts, as in an ingest.
func BenchmarkCompare(b *testing.B) {
	for _, n := range []int{50, 500} {
		reports, _ := benchStory(n)
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			for b.Loop() {
				Compare(reports)
			}
		})
		reworded := rewordedStory(n)
		b.Run(fmt.Sprintf("articles=%d/reworded", n), func(b *testing.B) {
			for b.Loop() {
				Compare(reworded)
			}
		})
		// The baseline, in the same run: only cutting the story's texts
		// into sentences and words, which any comparison must do.
		b.Run(fmt.Sprintf("articles=%d/baseline-tokenise", n), func(b *testing.B) {
			for b.Loop() {
				for _, r := range reports {
					words.Sentences(r.Article.Text)
					words.Tokens(r.Article.Text)
				}
			}
		})
	}
}

// TestBenchStory keeps the generated story honest: its quotes slice to
// their text, its remarks are grouped across outlets and each article has
// the sentence only it carries.
func TestBenchStory(t *testing.T) {
	reports, own := benchStory(50)
	for _, r := range reports {
		for _, q := range r.Article.Quotes {
			if r.Article.Text[q.Start:q.End] != q.Text {
				t.Fatalf("%s: quote offsets slice to %q, not %q", r.Article.ID, r.Article.Text[q.Start:q.End], q.Text)
			}
		}
	}
	n := 0
	for _, rb := range benchRemarks {
		n += len(rb.wordings)
	}
	if got := Remarks(reports); len(got) != n {
		var texts []string
		for _, r := range got {
			texts = append(texts, fmt.Sprintf("%s (%d outlets): %s", r.Speaker, len(r.Outlets), r.Text))
		}
		t.Errorf("%d remarks, want the %d the templates have:\n%s", len(got), n, strings.Join(texts, "\n"))
	}
	// What is unique is the articles' own sentences, and all of them.
	listed := map[ownSentence]bool{}
	for _, u := range Unique(reports) {
		k := ownSentence{u.Article, u.Start}
		listed[k] = true
		if !own[k] {
			t.Errorf("%s: listed as unique: %q", u.Article, reportText(reports, u.Article)[u.Start:u.End])
		}
	}
	for k := range own {
		if !listed[k] {
			t.Errorf("%s: its own sentence at %d is not listed", k.article, k.start)
		}
	}
}

// TestCompareSharesWork: Compare, which groups the quotes once for remarks
// and unique sentences, gives what the three calls give one by one.
func TestCompareSharesWork(t *testing.T) {
	reports, _ := benchStory(40)
	got := Compare(reports)
	want := dossier.Comparison{Remarks: Remarks(reports), Unique: Unique(reports), Conflicts: Conflicts(reports)}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Compare differs from Remarks, Unique and Conflicts called one by one")
	}
	if len(got.Remarks) == 0 || len(got.Unique) == 0 {
		t.Fatalf("the generated story gives %d remarks and %d unique sentences: nothing compared", len(got.Remarks), len(got.Unique))
	}
}

// exampleStory is n reports made from one of the project's example
// articles the way the ingest benchmark makes them: its paragraphs
// shuffled, a third dropped, a fifth of each one's words dropped, and the
// quotes found in what is left. Long sentences nearly every report
// rewords are the costliest for the unique sentences.
func exampleStory(tb testing.TB, n int) []Report {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "examples", "txt", "*", "*.txt"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no example articles: %v", err)
	}
	slices.Sort(files)
	raw, err := os.ReadFile(files[n%len(files)])
	if err != nil {
		tb.Fatal(err)
	}
	var paras []string
	for _, p := range strings.Split(string(raw), "\n") {
		if p = strings.TrimSpace(p); len(strings.Fields(p)) >= 8 {
			paras = append(paras, p)
		}
	}
	rng := rand.New(rand.NewPCG(3, uint64(n)))
	reports := make([]Report, n)
	for i := range reports {
		ps := slices.Clone(paras)
		rng.Shuffle(len(ps), func(a, b int) { ps[a], ps[b] = ps[b], ps[a] })
		ps = ps[:max(2, len(ps)*2/3)]
		for k, p := range ps {
			ws := strings.Fields(p)
			kept := ws[:0]
			for _, w := range ws {
				if rng.IntN(5) != 0 {
					kept = append(kept, w)
				}
			}
			ps[k] = strings.Join(kept, " ")
		}
		text := strings.Join(ps, "\n\n")
		reports[i] = Report{Article: dossier.Article{ID: fmt.Sprintf("e%03d", i), Outlet: fmt.Sprintf("Outlet %d", i%13), Text: text, Quotes: quote.Find(text)}}
	}
	return reports
}

// BenchmarkCompareExamples compares stories made from the example
// articles as the ingest benchmark makes them.
func BenchmarkCompareExamples(b *testing.B) {
	for _, n := range []int{30, 100} {
		reports := exampleStory(b, n)
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			for b.Loop() {
				Compare(reports)
			}
		})
		b.Run(fmt.Sprintf("articles=%d/baseline-tokenise", n), func(b *testing.B) {
			for b.Loop() {
				for _, r := range reports {
					words.Sentences(r.Article.Text)
					words.Tokens(r.Article.Text)
				}
			}
		})
	}
}
