package cluster

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossiernews/dossier/internal/ident"
)

type fixture struct {
	ID        string    `json:"id"`
	Event     string    `json:"event"`
	Published time.Time `json:"published"`
	Title     string    `json:"title"`
	Text      string    `json:"text"`
}

func loadFixtures(t *testing.T) []fixture {
	t.Helper()
	b, err := os.ReadFile("testdata/events.json")
	if err != nil {
		t.Fatalf("read fixtures: %v", err)
	}
	var fx []fixture
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatalf("parse fixtures: %v", err)
	}
	return fx
}

// groups turns an assignment into sorted groups of IDs, comparable whatever
// the story IDs are.
func groups(assign map[string]string) [][]string {
	by := map[string][]string{}
	for a, s := range assign {
		by[s] = append(by[s], a)
	}
	var out [][]string
	for _, g := range by {
		slices.Sort(g)
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
	return out
}

func TestAssignGroupsEvents(t *testing.T) {
	fx := loadFixtures(t)
	want := map[string]string{}
	for _, f := range fx {
		want[f.ID] = f.Event
	}
	tests := []struct {
		name  string
		dated bool
	}{
		{"dated", true},
		{"undated", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := New(DefaultConfig())
			got := map[string]string{}
			for _, f := range fx {
				pub := f.Published
				if !tc.dated {
					pub = time.Time{}
				}
				got[f.ID] = c.Assign(f.ID, Extract(f.Title, f.Text, "en", pub))
			}
			if g, w := groups(got), groups(want); !reflect.DeepEqual(g, w) {
				t.Errorf("groups = %v, want %v", g, w)
			}
			// The founding article names its story.
			if w := ident.StoryID("a1"); got["a1"] != w || got["a9"] != w {
				t.Errorf("bridge story IDs = %q, %q, want %q", got["a1"], got["a9"], w)
			}
		})
	}
}

func TestWindowKeepsDistantEventsApart(t *testing.T) {
	fx := loadFixtures(t)
	cfg := DefaultConfig()
	cfg.Window = 7 * 24 * time.Hour
	c := New(cfg)
	first := c.Assign("q1", Extract(fx[1].Title, fx[1].Text, "en", fx[1].Published))
	late := fx[4].Published.AddDate(2, 0, 0)
	if got := c.Assign("q2", Extract(fx[4].Title, fx[4].Text, "en", late)); got == first {
		t.Errorf("article two years later joined %q, want a new story", got)
	}
	if got := c.Assign("q3", Extract(fx[7].Title, fx[7].Text, "en", time.Time{})); got != first {
		t.Errorf("undated article = %q, want %q by content", got, first)
	}
}

// TestRestoreEquivalence ingests the stream in two runs, the second
// restoring the first's assignments from stored features, and expects the
// same stories as one run.
func TestRestoreEquivalence(t *testing.T) {
	fx := loadFixtures(t)
	var feats []Features
	for _, f := range fx {
		feats = append(feats, Extract(f.Title, f.Text, "en", f.Published))
	}
	// Every split point: restored prefix, assigned rest.
	for split := 0; split <= len(fx); split++ {
		one := New(DefaultConfig())
		want := make([]string, len(fx))
		for i, f := range fx {
			want[i] = one.Assign(f.ID, feats[i])
		}
		two := New(DefaultConfig())
		got := make([]string, len(fx))
		for i := range split {
			dec, err := UnmarshalFeatures(feats[i].Marshal())
			if err != nil {
				t.Fatalf("unmarshal: %v", err)
			}
			two.Restore(fx[i].ID, want[i], dec)
			got[i] = want[i]
		}
		for i := split; i < len(fx); i++ {
			dec, err := UnmarshalFeatures(feats[i].Marshal())
			if err != nil {
				t.Fatalf("unmarshal: %v", err)
			}
			got[i] = two.Assign(fx[i].ID, dec)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("split at %d: two runs = %v, one run = %v", split, got, want)
		}
	}
}

func TestExtract(t *testing.T) {
	tests := []struct {
		name    string
		title   string
		text    string
		lang    string
		want    []string // terms that must be present
		wantNot []string // terms that must be absent
	}{
		{"stopwords dropped, names marked", "", "The mayor of Lindenfeld said it was over.\n\nThen Anna Korr spoke.",
			"en", []string{"mayor", "lindenfeld", "#lindenfeld", "#anna korr", "#korr"}, []string{"the", "of", "#the", "#then"}},
		{"numbers kept whole", "Quake hits", "A 6.4 quake. It cost 1,200 dollars.", "en",
			[]string{"6.4", "#6.4", "1200", "quake"}, []string{"6", "4"}},
		{"cjk bigrams", "東京で地震", "", "ja", []string{"東京", "京で", "地震"}, []string{"東京で地震"}},
		{"other languages keep their words", "", "Der Bürgermeister von Köln sprach.", "de",
			[]string{"bürgermeister", "köln", "#köln", "der"}, nil},
		{"empty", "", "", "", nil, []string{""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := Extract(tc.title, tc.text, tc.lang, time.Time{})
			for _, w := range tc.want {
				if _, ok := f.Terms[w]; !ok {
					t.Errorf("missing term %q in %v", w, f.Terms)
				}
			}
			for _, w := range tc.wantNot {
				if _, ok := f.Terms[w]; ok {
					t.Errorf("unexpected term %q in %v", w, f.Terms)
				}
			}
		})
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	tests := []Features{
		{},
		Extract("Title words here", "Body of Anna Korr with 6.4 things.", "en", time.Date(2024, 5, 6, 7, 8, 9, 10, time.UTC)),
		Extract("", "x", "", time.Date(2024, 5, 6, 7, 8, 9, 0, time.FixedZone("", 2*3600))),
		Extract("Court hears the 2019 case", "The flood of March 2021 and the one on 4 May 2022 came first.", "en", time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC)),
	}
	if len(tests[3].Stated) != 3 {
		t.Fatalf("stated %v, want three periods", tests[3].Stated)
	}
	for i, f := range tests {
		got, err := UnmarshalFeatures(f.Marshal())
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		if !got.Published.Equal(f.Published) || got.Published.IsZero() != f.Published.IsZero() {
			t.Errorf("%d: published %v, want %v", i, got.Published, f.Published)
		}
		if len(got.Terms) != len(f.Terms) || len(f.Terms) > 0 && !reflect.DeepEqual(got.Terms, f.Terms) {
			t.Errorf("%d: terms %v, want %v", i, got.Terms, f.Terms)
		}
		if !reflect.DeepEqual(got.Stated, f.Stated) {
			t.Errorf("%d: stated %v, want %v", i, got.Stated, f.Stated)
		}
		if _, off := got.Published.Zone(); !f.Published.IsZero() {
			if _, want := f.Published.Zone(); off != want {
				t.Errorf("%d: offset %d, want %d", i, off, want)
			}
		}
	}
	// Version 1 had no stated periods: it decodes, with none.
	v1 := tests[1].Marshal()
	v1 = append([]byte{1}, v1[1:len(v1)-1]...)
	if got, err := UnmarshalFeatures(v1); err != nil || !reflect.DeepEqual(got.Terms, tests[1].Terms) || got.Stated != nil {
		t.Errorf("version 1: %v, %v", got, err)
	}
	bad := [][]byte{nil, {9, 0}, {featuresVersion, 2}, {featuresVersion, 0, 5}, append(tests[1].Marshal(), 0),
		append(tests[1].Marshal()[:len(tests[1].Marshal())-1], 1, 2, 0)} // a period of no days
	for _, b := range bad {
		if _, err := UnmarshalFeatures(b); err == nil {
			t.Errorf("UnmarshalFeatures(%v) = nil error, want one", b)
		}
	}
}

func FuzzUnmarshalFeatures(f *testing.F) {
	f.Add(Extract("A title", "Some Body text with Names and 12 numbers.", "en", time.Unix(1700000000, 0)).Marshal())
	f.Add(Features{}.Marshal())
	f.Add([]byte{featuresVersion, 1, 0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := UnmarshalFeatures(b)
		if err != nil {
			return
		}
		// Whatever decodes must encode and decode to the same features.
		again, err := UnmarshalFeatures(got.Marshal())
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if len(again.Terms) != len(got.Terms) || !again.Published.Equal(got.Published) {
			t.Fatalf("round trip changed features")
		}
	})
}

func FuzzExtract(f *testing.F) {
	f.Add("Title", "Body with Anna Korr, 6.4 and 東京.", "en")
	f.Add("In 1999", "on June 3 and in May 2020, 12 March 2021", "en")
	f.Fuzz(func(t *testing.T, title, text, lang string) {
		pub := time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC)
		dated := Extract(title, text, lang, pub)
		if len(dated.Stated) > maxStated {
			t.Fatalf("%d stated periods, cap %d", len(dated.Stated), maxStated)
		}
		for _, p := range dated.Stated {
			if !p.From.Before(p.To) || p.To.After(pub) {
				t.Fatalf("stated %v: empty, or not before %v", p, pub)
			}
		}
		if again, err := UnmarshalFeatures(dated.Marshal()); err != nil || !reflect.DeepEqual(again.Stated, dated.Stated) {
			t.Fatalf("stated %v round trip: %v, %v", dated.Stated, again.Stated, err)
		}
		feat := Extract(title, text, lang, time.Time{})
		if len(feat.Terms) > maxTerms {
			t.Fatalf("%d terms, cap %d", len(feat.Terms), maxTerms)
		}
		c := New(DefaultConfig())
		id, w := c.Assign("x", feat), ident.StoryID("x")
		if id != w {
			t.Fatalf("first story = %q, want %q", id, w)
		}
		// Removing the only article leaves nothing behind.
		c.Remove("x", id, feat)
		if c.docs != 0 || len(c.df) != 0 || len(c.stories) != 0 || len(c.postings) != 0 {
			t.Fatalf("after removal: %d docs, %d terms, %d stories, %d postings", c.docs, len(c.df), len(c.stories), len(c.postings))
		}
	})
}

// BenchmarkAssign streams 10k synthetic articles drawn from 2k events over a
// shared vocabulary and reports articles per second.
func BenchmarkAssign(b *testing.B) {
	s := synthStream()
	b.ResetTimer()
	for range b.N {
		c := New(DefaultConfig())
		for i, f := range s.feats {
			c.Assign(s.ids[i], f)
		}
	}
	b.ReportMetric(float64(len(s.ids)*b.N)/b.Elapsed().Seconds(), "articles/s")
}

// TestStoryIDs expects story IDs from internal/ident, never the founder's
// article ID with a letter in front, which people took for one another.
func TestStoryIDs(t *testing.T) {
	fx := loadFixtures(t)
	// Each event's first article founds its story (TestAssignGroupsEvents
	// checks the grouping).
	founder := map[string]string{}
	for _, f := range fx {
		if _, ok := founder[f.Event]; !ok {
			founder[f.Event] = f.ID
		}
	}
	tests := []struct {
		name    string
		restore bool
	}{
		{"assigned", false},
		{"restored without a stored story ID", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := New(DefaultConfig())
			for _, f := range fx {
				feat := Extract(f.Title, f.Text, "en", f.Published)
				want := ident.StoryID(founder[f.Event])
				if tc.restore {
					want = ident.StoryID(f.ID)
					c.Restore(f.ID, "", feat)
				} else if got := c.Assign(f.ID, feat); got != want {
					t.Errorf("%s: story %q, want %q", f.ID, got, want)
				}
				if _, ok := c.stories[want]; !ok {
					t.Errorf("%s: story %q not kept", f.ID, want)
				}
			}
		})
	}
}

func TestTimeWeight(t *testing.T) {
	day := time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)
	c := New(Config{Threshold: 0.2, Decay: 120 * time.Hour})
	s := &story{dates: []time.Time{day, day.Add(48 * time.Hour)}}
	for _, tt := range []struct {
		name string
		t    time.Time
		want float64
	}{
		{"undated article", time.Time{}, 1},
		{"between members", day.Add(24 * time.Hour), 1},
		{"within the grace after the last", day.Add(70 * time.Hour), 1},
		{"Decay past the grace", day.Add(48*time.Hour + 24*time.Hour + 120*time.Hour), math.Exp(-1)},
		{"before the first, past the grace", day.Add(-(24*time.Hour + 240*time.Hour)), math.Exp(-2)},
	} {
		if got := c.timeWeight(s, tt.t); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%s: weight %.4f, want %.4f", tt.name, got, tt.want)
		}
	}
	if got := c.timeWeight(&story{}, day); got != 1 {
		t.Errorf("an undated story: weight %v, want 1", got)
	}
	if got := New(Config{Threshold: 0.2}).timeWeight(s, day.Add(1000*time.Hour)); got != 1 {
		t.Errorf("decay off: weight %v, want 1", got)
	}
}

// TestDecayKeepsApartSameKindEventsInTime: the same kind of event a month
// later founds its own story when both are dated, and joins when undated.
func TestDecayKeepsApartSameKindEventsInTime(t *testing.T) {
	text := "The harbour board of Calder voted to raise mooring fees for fishing boats, and skippers said they would protest the increase at the next meeting."
	day := time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name   string
		second time.Time
		join   bool
	}{
		{"dated, next day", day.Add(24 * time.Hour), true},
		{"dated, a month later", day.Add(30 * 24 * time.Hour), false},
		{"undated", time.Time{}, true},
	} {
		c := New(Config{Threshold: 0.2, Decay: 120 * time.Hour})
		first := c.Assign("a1", Extract("Mooring fees rise in Calder", text, "en", day))
		second := c.Assign("a2", Extract("Mooring fees rise in Calder", text, "en", tt.second))
		if (first == second) != tt.join {
			t.Errorf("%s: same story %v, want %v", tt.name, first == second, tt.join)
		}
	}
}

// TestTopHits checks the counting cut against sorting every hit: the
// maxCandidates most hit, ties broken by the lower ID.
func TestTopHits(t *testing.T) {
	byID := func(s string) string { return s }
	sorted := func(hits map[string]int) []string {
		all := slices.Collect(maps.Keys(hits))
		slices.SortFunc(all, func(a, b string) int {
			if hits[a] != hits[b] {
				return hits[b] - hits[a]
			}
			return strings.Compare(a, b)
		})
		return all[:min(len(all), maxCandidates)]
	}
	r := rand.New(rand.NewPCG(7, 8))
	for _, tc := range []struct{ stories, maxHits int }{
		{0, 1}, {1, 1}, {maxCandidates, 3}, {maxCandidates + 1, 1}, {maxCandidates + 1, 40},
		{500, 1}, {500, 2}, {5000, 40}, {3000, 5},
	} {
		hits := map[string]int{}
		for i := range tc.stories {
			hits[fmt.Sprintf("s%05d", i)] = 1 + r.IntN(tc.maxHits)
		}
		got := topHits(hits, byID)
		slices.Sort(got)
		want := sorted(hits)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%d stories, up to %d hits: topHits = %v, want %v", tc.stories, tc.maxHits, got, want)
		}
	}
}
