package quote

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

type wantQuote struct {
	Text    string `json:"text"`
	Speaker string `json:"speaker"`
	Partial bool   `json:"partial"`
}

// TestFindFixtures runs Find over invented articles in testdata/articles
// and checks every quote's text, speaker, partial flag and offsets.
func TestFindFixtures(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "expected.json"))
	if err != nil {
		t.Fatalf("read expectations: %v", err)
	}
	var want map[string][]wantQuote
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatalf("parse expectations: %v", err)
	}
	files, err := filepath.Glob(filepath.Join("testdata", "articles", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			w, ok := want[name]
			if !ok {
				t.Fatalf("no expectations for %s", name)
			}
			body, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			text := string(body)
			got := Find(text)
			for _, q := range got {
				if text[q.Start:q.End] != q.Text {
					t.Errorf("offsets [%d,%d) give %q, Text %q", q.Start, q.End, text[q.Start:q.End], q.Text)
				}
			}
			if len(got) != len(w) {
				for _, q := range got {
					t.Logf("got %q by %q", q.Text, q.Speaker)
				}
				t.Fatalf("%d quotes, want %d", len(got), len(w))
			}
			for i := range w {
				g := got[i]
				if g.Text != w[i].Text || g.Speaker != w[i].Speaker || g.Partial != w[i].Partial {
					t.Errorf("quote %d: got {%q %q partial=%v cue=%q}, want {%q %q partial=%v}",
						i, g.Text, g.Speaker, g.Partial, g.Cue, w[i].Text, w[i].Speaker, w[i].Partial)
				}
			}
		})
	}
}

// TestFindEdgeCases covers inputs that must not produce quotes or must not
// swallow text.
func TestFindEdgeCases(t *testing.T) {
	cases := []struct {
		name  string
		text  string
		count int
	}{
		{"empty", "", 0},
		{"apostrophes only", "Westmark’s leader didn't say. The players’ union won't comment.", 0},
		{"inch marks", "The board is 6'2\" long and 3\" wide.", 0},
		{"lone closing mark", "He left” and never came back.", 0},
		{"unclosed stays in paragraph", "She said \"this is not over at all\n\nThe next paragraph \"has its own\" quote.", 2},
		{"blank lines only", "\n\n\n", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Find(c.text)
			if len(got) != c.count {
				t.Fatalf("%d quotes %v, want %d", len(got), got, c.count)
			}
			for _, q := range got {
				if strings.Contains(q.Text, "\n") {
					t.Errorf("quote %q crosses a paragraph", q.Text)
				}
			}
		})
	}
}

// FuzzFind checks Find never panics and its offsets always slice the input
// to the quote's text.
func FuzzFind(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "articles", "*.txt"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
	}
	f.Add("\"\"“”‘’«»„“")
	f.Add("He said: \"")
	f.Add("\xff\"abc\xfe\" said Roe.")
	f.Fuzz(func(t *testing.T, text string) {
		start := time.Now()
		qs := Find(text)
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("Find took %v on %d bytes", d, len(text))
		}
		for _, q := range qs {
			if q.Start < 0 || q.End > len(text) || q.Start > q.End {
				t.Fatalf("offsets [%d,%d) out of range %d", q.Start, q.End, len(text))
			}
			if text[q.Start:q.End] != q.Text {
				t.Fatalf("text[%d:%d] = %q, Text %q", q.Start, q.End, text[q.Start:q.End], q.Text)
			}
			if utf8.ValidString(text) && !utf8.ValidString(q.Speaker) {
				t.Fatalf("invalid speaker %q", q.Speaker)
			}
		}
	})
}

// BenchmarkFind measures Find over the fixtures, reporting MB/s.
func BenchmarkFind(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("testdata", "articles", "*.txt"))
	var texts []string
	size := 0
	for _, p := range files {
		if raw, err := os.ReadFile(p); err == nil {
			texts = append(texts, string(raw))
			size += len(raw)
		}
	}
	if size == 0 {
		b.Skip("no fixtures")
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for b.Loop() {
		for _, s := range texts {
			Find(s)
		}
	}
}

// TestSpeakerNames checks canonical speaker names: titles stripped, a
// surname mapped to the full name, acronyms to the organisation's name.
func TestSpeakerNames(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"title stripped", `"We are ready," said Deputy Minister Jane Roe.`, "Jane Roe"},
		{"surname to full name", "Deputy Minister Jane Roe visited the port.\n\n\"We are ready,\" Roe said.", "Jane Roe"},
		{"honorific", "Mrs. Jane Roe opened the session.\n\n\"Sit down,\" she said.", "Jane Roe"},
		{"acronym to full name", "The Harbour Safety Board (HSB) met on Monday.\n\n\"No ship leaves tonight,\" the HSB said.", "Harbour Safety Board"},
		{"acronym alone", `"No ship leaves tonight," the HSB said.`, "HSB"},
		{"party tag", `"We won," Sen. John Doe, D-Ore., said Tuesday.`, "John Doe"},
		{"inverted with role", `"It is over," said Mary Poe, the club's treasurer.`, "Mary Poe"},
		{"he after two people", "Anna Berg met Carl Voss on Monday. Mr. Voss was late.\n\n\"Traffic,\" he said.", "Carl Voss"},
		{"she picks the woman", "Carl Voss met Anna Berg on Monday. Ms. Berg was early.\n\n\"I like mornings,\" she said.", "Anna Berg"},
		{"nickname inside a name", "Mayor Jane \"JJ\" Roe opened the fair.\n\n\"Welcome, all,\" Roe said.", "Jane Roe"},
		{"gender from a role", "Tor Lamm met the spokeswoman, Ines Kvist, at noon.\n\n\"It went well,\" she said.", "Ines Kvist"},
		{"role title inside a run", "\"The ferry runs,\" said Harbour Minister Ines Kvist.", "Ines Kvist"},
		{"no speaker at all", "“The tide waits for nobody,” reads the plaque by the quay.", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Find(c.text)
			if len(got) != 1 {
				t.Fatalf("%d quotes %+v, want 1", len(got), got)
			}
			if got[0].Speaker != c.want {
				t.Errorf("speaker %q (cue %q), want %q", got[0].Speaker, got[0].Cue, c.want)
			}
		})
	}
}

// TestSharedSurname checks that two people of one surname stay two: an
// honorific picks by gender, a bare surname the one named last.
func TestSharedSurname(t *testing.T) {
	cases := []struct {
		name, text string
		want       []string // speakers, in quote order
	}{
		{"honorific", "Former governor Bill Moss and his wife, Jane Moss, toured the plant.\n\n\"It is cleaner than I expected,\" Mrs. Moss said.", []string{"Jane Moss"}},
		{"named last", "Ana Korr chairs the board. Her brother, Pavel Korr, runs the yard.\n\n\"We are not selling,\" Korr said.", []string{"Pavel Korr"}},
		{"each in turn", "Ana Korr spoke first. \"The yard stays,\" Korr said.\n\nPavel Korr disagreed. \"It must go,\" he said.\n\n\"Not while I chair it,\" Ms. Korr replied.", []string{"Ana Korr", "Pavel Korr", "Ana Korr"}},
		{"bare surname after both", "Ana Korr and Pavel Korr run the yard.\n\n\"We are not selling,\" Korr said.", []string{"Pavel Korr"}},
		{"surname first", "Korr opened the meeting. Ana Korr, the chair, read the figures, and Pavel Korr left early.\n\n\"The books are closed,\" Ana Korr said.", []string{"Ana Korr"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Find(c.text)
			if len(got) != len(c.want) {
				t.Fatalf("%d quotes %+v, want %d", len(got), got, len(c.want))
			}
			for i, q := range got {
				if q.Speaker != c.want[i] {
					t.Errorf("quote %d %q: speaker %q (cue %q), want %q", i, q.Text, q.Speaker, q.Cue, c.want[i])
				}
			}
		})
	}
}
