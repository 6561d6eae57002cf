package clean

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dossiernews/dossier/internal/evaldata"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
)

// tagKind maps the fixture tags to what must become of a line.
var tagKind = map[string]Kind{"F": Furniture, "T": Title, "Y": Byline, "C": Caption, "R": Repeat}

// TestTextFixtures runs the tagged fixtures under testdata/text: every line
// carries a tag (B body, T title, Y byline, C caption, F furniture, R repeat)
// saying where it must end up; untagged lines are blank filler.
func TestTextFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/text/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var in []string
			var body []string
			want := map[string]Kind{}
			for _, l := range strings.Split(string(b), "\n") {
				tag, text, ok := strings.Cut(l, "|")
				if !ok {
					in = append(in, l)
					continue
				}
				in = append(in, text)
				if tag == "B" {
					body = append(body, normLine(text))
				} else {
					want[normLine(text)] = tagKind[tag]
				}
			}
			p := New().Text(strings.Join(in, "\n"), "")
			if !slices.Equal(p.Paragraphs, body) {
				t.Errorf("body:\n got %q\nwant %q", p.Paragraphs, body)
			}
			got := map[string]Kind{}
			for _, r := range p.Removed {
				if k, ok := got[r.Text]; ok && k != r.Kind && r.Kind != Repeat {
					t.Errorf("line %q removed as both %v and %v", r.Text, k, r.Kind)
				}
				if _, ok := got[r.Text]; !ok || r.Kind == Title {
					got[r.Text] = r.Kind
				}
			}
			for text, k := range want {
				if got[text] != k {
					t.Errorf("line %q: got %v, want %v", text, got[text], k)
				}
				if k == Caption && !slices.Contains(p.Captions, text) {
					t.Errorf("caption %q missing from Captions %q", text, p.Captions)
				}
			}
			if n := len(p.Captions); n != len(slices.Compact(slices.Sorted(slices.Values(p.Captions)))) {
				t.Errorf("captions repeated: %q", p.Captions)
			}
			if p.Title == "" {
				t.Errorf("no title")
			}
		})
	}
}

func TestTextExplicitTitle(t *testing.T) {
	raw := "Council approves new park\nCouncil approves new park\nThe city council voted on Monday to turn the disused rail yard into a public park with playing fields and a pond.\n"
	p := New().Text(raw, "Council approves new park")
	if p.Title != "Council approves new park" {
		t.Errorf("title %q", p.Title)
	}
	if len(p.Paragraphs) != 1 || !strings.HasPrefix(p.Paragraphs[0], "The city council") {
		t.Errorf("paragraphs %q", p.Paragraphs)
	}
}

func TestQuotesKept(t *testing.T) {
	line := "“It will open in May,\" the mayor said, adding that the ‘final checks’ were under way at the site this week."
	p := New().Text("Park opening date set\n"+line+"\n", "")
	if len(p.Paragraphs) != 1 || p.Paragraphs[0] != line {
		t.Errorf("quote marks not kept verbatim: %q", p.Paragraphs)
	}
}

// TestCrossDocumentFurniture checks that a short line printed on every page
// of an outlet becomes furniture while a syndicated long sentence does not.
func TestCrossDocumentFurniture(t *testing.T) {
	c := New()
	long := "The agency reported that regional rainfall was well above the seasonal average for the third month running, raising flood concerns."
	var p Page
	for i := 0; i < 30; i++ {
		raw := "Headline number " + strings.Repeat("x", i+1) + "\nBrowse our weekend specials\n" +
			"Story " + strings.Repeat("y", i+1) + " begins with a sentence that is long enough to count as body text for the classifier here.\n" +
			"Browse our weekend specials now\n" + long + "\n"
		p = c.Text(raw, "")
	}
	for _, para := range p.Paragraphs {
		if strings.HasPrefix(para, "Browse our weekend") {
			t.Errorf("recurring short line kept: %q", para)
		}
	}
	if !slices.Contains(p.Paragraphs, long) {
		t.Errorf("syndicated sentence lost: %q", p.Paragraphs)
	}
}

// TestSeeds checks what seeds/EXPECTED.md asks of cleaning, reading the
// seed files at test time.
func TestSeeds(t *testing.T) {
	dir := evaldata.Dir(t, "seeds")
	read := func(name string) (string, []string) {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b), splitLines(string(b))
	}
	t.Run("000 body saved twice", func(t *testing.T) {
		raw, lines := read("000_2e92df3e5a288141.txt")
		p := New().Text(raw, "")
		if p.Title != lines[0] {
			t.Errorf("title %q, want first line", p.Title)
		}
		if !hasRemoved(p, lines[1], Byline) {
			t.Errorf("byline line not removed as Byline")
		}
		// Every line of the first copy (from line 3) once, nothing else.
		var want []string
		for _, l := range lines[2:] {
			if !slices.Contains(want, l) {
				want = append(want, l)
			}
		}
		if len(want) != 19 {
			t.Fatalf("seed changed: %d distinct body lines", len(want))
		}
		if !slices.Equal(p.Paragraphs, want) {
			t.Errorf("body: got %d paragraphs, want %d in order", len(p.Paragraphs), len(want))
		}
	})
	t.Run("001 page furniture", func(t *testing.T) {
		raw, lines := read("001_c2ea8446f52993cb.txt")
		p := New().Text(raw, "")
		if p.Title != lines[0] {
			t.Errorf("title %q, want first line", p.Title)
		}
		// The body is every line between the doubled caption and the byline.
		var want []string
		var caption, byline string
		capAt, byAt := -1, -1
		for i, l := range lines {
			switch {
			case i > 0 && l == lines[i-1] && l != lines[0]:
				caption, capAt = l, i
			case strings.HasPrefix(l, "BY ") && byAt < 0:
				byline, byAt = l, i
			}
		}
		if capAt >= 0 && byAt > capAt {
			want = lines[capAt+1 : byAt]
		}
		if len(want) != 14 || caption == "" || byline == "" {
			t.Fatalf("seed changed: %d body lines, caption %v, byline %v", len(want), caption != "", byline != "")
		}
		if !slices.Equal(p.Paragraphs, want) {
			t.Errorf("body: got %d paragraphs %q\nwant the %d long lines", len(p.Paragraphs), p.Paragraphs, len(want))
		}
		if !slices.Equal(p.Captions, []string{caption}) {
			t.Errorf("captions %q", p.Captions)
		}
		if !hasRemoved(p, byline, Byline) {
			t.Errorf("byline not removed as Byline")
		}
		if !hasRemoved(p, lines[0], Title) || countRemoved(p, Title) != 2 {
			t.Errorf("title and its repeat not both removed as Title")
		}
	})
}

func hasRemoved(p Page, text string, k Kind) bool {
	for _, r := range p.Removed {
		if r.Text == text && r.Kind == k {
			return true
		}
	}
	return false
}

func countRemoved(p Page, k Kind) int {
	n := 0
	for _, r := range p.Removed {
		if r.Kind == k {
			n++
		}
	}
	return n
}

// TestHTMLFixtures extracts invented pages, in their own charset and
// re-encoded in legacy charsets without a declaration.
func TestHTMLFixtures(t *testing.T) {
	cases := []struct {
		file      string
		enc       encoding.Encoding // nil: as stored
		bodyHas   []string
		bodyLacks []string
		caption   string
		sitename  string
	}{
		{file: "article.html", bodyHas: []string{"au grand soulagement des commerçants", "« Nous avons retrouvé nos clients fidèles"},
			bodyLacks: []string{"Connexion", "Tous droits réservés", "Photo : Jules"}, caption: "Les premiers clients devant les étals rénovés (Photo : Jules Marchand)", sitename: "Gazette du Plateau"},
		{file: "article.html", enc: charmap.Windows1252, bodyHas: []string{"au grand soulagement des commerçants"}, bodyLacks: []string{"Tous droits réservés"}},
		{file: "article_ja.html", bodyHas: []string{"新館には子ども向けの読み聞かせ室"}, bodyLacks: []string{"ログイン"}},
		{file: "article_ja.html", enc: japanese.ShiftJIS, bodyHas: []string{"新館には子ども向けの読み聞かせ室"}, bodyLacks: []string{"ログイン"}},
		{file: "article_ja.html", enc: japanese.EUCJP, bodyHas: []string{"移動図書館の車両を増やし"}},
	}
	for _, tc := range cases {
		name := tc.file
		if tc.enc != nil {
			name += "/" + strings.ReplaceAll(tc.enc.(interface{ String() string }).String(), " ", "_")
		}
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata/html", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if tc.enc != nil {
				raw = bytes.Replace(raw, []byte(`<meta charset="utf-8">`), nil, 1)
				if raw, err = tc.enc.NewEncoder().Bytes(raw); err != nil {
					t.Fatalf("encode: %v", err)
				}
			}
			p, err := New().HTML(raw, "https://example.org/story")
			if err != nil {
				t.Fatal(err)
			}
			body := p.Text()
			for _, s := range tc.bodyHas {
				if !strings.Contains(body, s) {
					t.Errorf("body lacks %q:\n%s", s, body)
				}
			}
			for _, s := range tc.bodyLacks {
				if strings.Contains(body, s) {
					t.Errorf("body has %q", s)
				}
			}
			if tc.caption != "" && !slices.Contains(p.Captions, tc.caption) {
				t.Errorf("captions %q, want %q", p.Captions, tc.caption)
			}
			if tc.sitename != "" && p.Meta.Sitename != tc.sitename {
				t.Errorf("sitename %q", p.Meta.Sitename)
			}
			if p.Title == "" || p.Meta.URL == "" {
				t.Errorf("title %q url %q", p.Title, p.Meta.URL)
			}
		})
	}
}

// TestHTMLShortPage checks the fallback for pages too short for the extractor.
func TestHTMLShortPage(t *testing.T) {
	raw := []byte(`<html><head><title>Tram line extended</title></head><body><nav><ul><li><a href="/">Home</a></li><li><a href="/login">Log in</a></li></ul></nav>
<p>The tram line now runs two stops further east, the transport authority said on Friday morning.</p><footer>© 2025 Example Transit News</footer></body></html>`)
	p, err := New().HTML(raw, "")
	if err != nil {
		t.Fatal(err)
	}
	if body := p.Text(); !strings.Contains(body, "The tram line now runs two stops") || strings.Contains(body, "©") {
		t.Errorf("paragraphs %q", p.Paragraphs)
	}
	if p.Title != "Tram line extended" {
		t.Errorf("title %q", p.Title)
	}
}

func TestHTMLGarbage(t *testing.T) {
	for _, in := range [][]byte{nil, []byte("<html"), []byte("\xff\xfe\x00<"), bytes.Repeat([]byte("<div>"), 5000)} {
		p, err := New().HTML(in, "")
		if err == nil && !utf8.ValidString(p.Text()) {
			t.Errorf("invalid UTF-8 out of %q", in)
		}
	}
}

// FuzzText checks that Text never panics and only returns input lines.
func FuzzText(f *testing.F) {
	files, _ := filepath.Glob("testdata/text/*.txt")
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(string(b), "")
		}
	}
	f.Add("Title\nBy Someone\n\u00a0\nA line [CREDIT]\nA line [CREDIT]\n", "Title")
	f.Fuzz(func(t *testing.T, raw, title string) {
		p := New().Text(raw, title)
		if len(p.Title) > maxTitle {
			t.Fatalf("title of %d bytes", len(p.Title))
		}
		in := map[string]bool{}
		for _, l := range splitLines(raw) {
			in[l] = true
		}
		for _, para := range p.Paragraphs {
			if !in[para] {
				t.Fatalf("paragraph %q is not an input line", para)
			}
		}
	})
}

// FuzzHTML checks that HTML never panics and that body lines come from the page text.
func FuzzHTML(f *testing.F) {
	files, _ := filepath.Glob("testdata/html/*.html")
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("<p>x</p>"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		p, err := New().HTML(raw, "")
		if err != nil {
			return
		}
		for _, para := range p.Paragraphs {
			if para == "" || !utf8.ValidString(para) {
				t.Fatalf("bad paragraph %q", para)
			}
		}
	})
}

func BenchmarkText(b *testing.B) {
	raw, err := os.ReadFile("testdata/text/harbour.txt")
	if err != nil {
		b.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(raw), "\n") {
		_, text, _ := strings.Cut(l, "|")
		lines = append(lines, text)
	}
	doc := strings.Join(lines, "\n")
	c := New()
	b.ResetTimer()
	for b.Loop() {
		c.Text(doc, "")
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

func BenchmarkHTML(b *testing.B) {
	raw, err := os.ReadFile("testdata/html/article.html")
	if err != nil {
		b.Fatal(err)
	}
	c := New()
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.HTML(raw, ""); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// TestVisibleText checks the text-dump fallback used when extraction fails.
func TestVisibleText(t *testing.T) {
	page := `<html><head><title>Lake level rises</title><style>p{}</style></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/login">Log in</a></li></ul></nav>
<h1>Lake level rises</h1>
<p>The level of the lake rose by forty centimetres over the weekend after heavy rain in the hills, and the water authority warned residents near the shore to watch for flooding.</p>
<p>Boat owners were asked to check their moorings and to keep away from the old pier, which was closed on Sunday as a precaution.</p>
<footer><p>Share</p><p>© 2025 Lakeside Daily. All rights reserved.</p></footer><script>var x = 1;</script></body></html>`
	doc, err := Parse(page)
	if err != nil {
		t.Fatal(err)
	}
	p, err := New().visibleText(doc, "https://example.org/lake")
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Lake level rises" || len(p.Paragraphs) != 2 || !strings.HasPrefix(p.Paragraphs[1], "Boat owners") {
		t.Errorf("title %q paragraphs %q", p.Title, p.Paragraphs)
	}
}

func TestWithoutMemory(t *testing.T) {
	// A short line shared by every document becomes furniture for a Cleaner
	// with memory, and stays body for one without.
	doc := func(i int) string {
		return fmt.Sprintf("Headline number %d\n\nThe committee met on day %d to weigh the proposal put forward by the residents of the valley.\n\nVoting closes at noon.\n\nThe result will be announced next week after the ballots are counted by hand.", i, i)
	}
	with, without := New(), New(WithoutMemory())
	var last, lastWithout Page
	for i := range 40 {
		last, lastWithout = with.Text(doc(i), ""), without.Text(doc(i), "")
	}
	if !slices.Contains(lastWithout.Paragraphs, "Voting closes at noon.") {
		t.Errorf("without memory, the shared line left the body: %q", lastWithout.Paragraphs)
	}
	if slices.Contains(last.Paragraphs, "Voting closes at noon.") {
		t.Errorf("with memory, a line in every document stayed in the body: %q", last.Paragraphs)
	}
}

func TestConsentNoticesAreFurniture(t *testing.T) {
	body := "The regional council approved the new bus timetable on Thursday after a long debate about rural routes.\n\nDrivers will start the winter schedule on the first Monday of November, the council said."
	tests := []struct{ notice string }{
		{"We use cookies to give you the best experience. By continuing to browse this site you agree to our use of cookies."},
		{"This website uses cookies. Read our cookie policy to learn more."},
		{"Diese Website verwendet Cookies, um Ihnen ein besseres Erlebnis zu bieten."},
		{"Ce site utilise des cookies pour améliorer votre expérience de navigation."},
	}
	for _, tt := range tests {
		page := New().Text("Bus timetable approved\n\n"+body+"\n\n"+tt.notice, "")
		if slices.Contains(page.Paragraphs, tt.notice) {
			t.Errorf("notice kept in the body: %q", tt.notice)
		}
		if len(page.Paragraphs) != 2 {
			t.Errorf("body paragraphs %q, want the two sentences", page.Paragraphs)
		}
	}
}

func TestHTMLKeepsParagraphs(t *testing.T) {
	// A short page that sends trafilatura down its baseline path, which
	// flattens the text: the body must still come out paragraph by paragraph.
	page := `<!doctype html><html><head><title>Tram line reopens after repairs</title></head><body>
<nav><a href="/">Home</a> <a href="/city">City</a></nav>
<article><h1>Tram line reopens after repairs</h1>
<div class="byline">By <span>Lena Ortiz</span> &middot; <time datetime="2025-04-01">1 April</time></div>
<p>The number 4 tram returned to service on Tuesday after three weeks of track repairs on the river bridge.</p>
<p>"Passengers have been very patient," said operations manager Teo Marsh. "We owe them a smooth ride."</p>
<p>The city said the work came in under budget and ahead of the schedule it had set in March.</p>
</article><footer>About us · Contact</footer></body></html>`
	p, err := New().HTML([]byte(page), "")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"The number 4 tram returned to service on Tuesday after three weeks of track repairs on the river bridge.",
		`"Passengers have been very patient," said operations manager Teo Marsh. "We owe them a smooth ride."`,
		"The city said the work came in under budget and ahead of the schedule it had set in March.",
	}
	if !slices.Equal(p.Paragraphs, want) {
		t.Errorf("paragraphs:\n got %q\nwant %q", p.Paragraphs, want)
	}
	if p.Title != "Tram line reopens after repairs" {
		t.Errorf("title %q", p.Title)
	}
}

// TestNearRepeats checks which later lines count as repeats of earlier body
// lines: near copies do, lines that share a phrase or a frame do not.
func TestNearRepeats(t *testing.T) {
	first := "The water board said the reservoir stood at sixty percent of capacity on Friday, well below the level usual for spring."
	tests := []struct {
		name  string
		lines []string
		want  []bool
	}{
		{"word for word", []string{first, first}, []bool{false, true}},
		{"one word edited", []string{first, strings.Replace(first, "Friday", "Saturday", 1)}, []bool{false, true}},
		{"punctuation and case", []string{first, strings.ToUpper(first[:1]) + strings.ReplaceAll(first[1:], ",", "")}, []bool{false, true}},
		{"split in two", []string{first, "The water board said the reservoir stood at sixty percent", "of capacity on Friday, well below the level usual for spring."}, []bool{false, true, true}},
		{"shared frame, other news", []string{first, "The water board said the pumping station stood idle for most of Friday after a power cut in the valley."}, []bool{false, false}},
		{"short lines are never near repeats", []string{"Results of the first round", "Results of the second round"}, []bool{false, false}},
		{"distinct paragraphs", []string{first, "Farmers downstream were asked to draw less water for irrigation until the autumn rains arrive."}, []bool{false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRepeats()
			for i, l := range tt.lines {
				if got := r.repeat(l); got != tt.want[i] {
					t.Errorf("line %d %q: repeat %v, want %v", i, l, got, tt.want[i])
				}
			}
		})
	}
}

// TestRuleKinds checks the lines a rule names outright, and lines that look
// close but are body.
func TestRuleKinds(t *testing.T) {
	tests := []struct {
		line string
		kind Kind
		ok   bool
	}{
		{"The mayor at the opening of the bridge, photo: Town archive", Caption, true},
		{"A heron on the flooded meadow © Petra Lind", Caption, true},
		{"Volunteers fill sandbags by the river (Foto: Jan Horak/Valley Press).", Caption, true},
		{"Idle boats in the harbour at dusk. [Photo: Ada Brenner / Coast Weekly]", Caption, true},
		{"By signing up you agree to our privacy policy and terms of use.", Furniture, true},
		{"Mit der Registrierung akzeptieren Sie unsere Datenschutzbestimmungen.", Furniture, true},
		{"The company did not accept that its privacy policy broke the law.", 0, false},
		{"Mit der Anmeldung bin ich mit der Datenschutzerklärung einverstanden.", Furniture, true},
		{"This entry was posted in Gardening and tagged roses by Ola.", Furniture, true},
		{"Get the best of our reporting delivered to your inbox every morning.", Furniture, true},
		{"The regulator said the company's privacy policy broke the law, and fined it on Monday.", 0, false},
		{"14 responses to “A winter on the marsh”", Furniture, true},
		{"Comments (7)", Furniture, true},
		{"Tags: rowing, regatta, river", Furniture, true},
		{"Enlarge The old lock keeper's cottage after the repairs.", Caption, true},
		{"The cottage, click to enlarge", Caption, true},
		{"14 comments were sent to the council before the vote, most of them against the plan.", 0, false},
		{"The photo agency said on Tuesday that it would close its office in the capital next year.", 0, false},
	}
	for _, tt := range tests {
		k, ok := ruleKind(lineFeatures(tt.line), "")
		if ok != tt.ok || ok && k != tt.kind {
			t.Errorf("%q: got %v %v, want %v %v", tt.line, k, ok, tt.kind, tt.ok)
		}
	}
}
