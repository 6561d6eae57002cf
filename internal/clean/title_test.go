package clean

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestIsHeadline(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"Night ferry returns to the northern islands", true},
		{"Class of 2010: 25 years on", true},
		{"Top 10 films of 2010", true},
		{"Budget 2025", true},
		{"Version 3.12.1 of the compiler is out", true},
		{"Wahl 2024: Ergebnisse aus 12 Ländern", true},
		{"港町の図書館が新館を開館", true},
		{"U.S. ferry operators cut fares", true},
		{"", false},
		{"   ", false},
		{"11 / 09 / 2010", false},
		{"2010-09-11", false},
		{"14.03.2024 08:30", false},
		{"10:45", false},
		{"Sep 11, 2010 10:00", false},
		{"Saturday, 11 September 2010", false},
		{"11 сентября 2010", false},
		{"2010年9月11日", false},
		{"2010년 9월 11일 10:30", false},
		{"https://example.org/news/ferry", false},
		{"www.example.org", false},
		{"example.org", false},
		{"/news/2010/09/ferry.html", false},
		{"12345", false},
		{"--- // ---", false},
		{"#42", false},
		{strings.Repeat("ferry ", 60), false},
	}
	for _, tt := range tests {
		if got := IsHeadline(tt.in); got != tt.want {
			t.Errorf("IsHeadline(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestTextTitle(t *testing.T) {
	const (
		head  = "Ferry service resumes after the winter break"
		body1 = "The island ferry made its first crossing of the year on Saturday, with every seat on the morning sailing taken by residents."
		body2 = "The operator said the timetable would run unchanged until October, when the winter schedule starts again."
	)
	text := head + "\n\n" + body1 + "\n\n" + body2 + "\n"
	tests := []struct {
		name, given, raw string
		title            string
		body             []string
	}{
		{"no title", "", text, head, []string{body1, body2}},
		{"numeric date", "11 / 09 / 2010", text, head, []string{body1, body2}},
		{"ISO date", "2010-09-11", text, head, []string{body1, body2}},
		{"date and time", "Sep 11, 2010 10:00", text, head, []string{body1, body2}},
		{"URL", "https://example.org/ferry", text, head, []string{body1, body2}},
		{"digits", "12345", text, head, []string{body1, body2}},
		{"punctuation", "* * *", text, head, []string{body1, body2}},
		{"headline given", "Island ferry back", body1 + "\n" + body2, "Island ferry back", []string{body1, body2}},
		{"headline given and repeated", head, text, head, []string{body1, body2}},
		{"date line above the headline", "", "11.09.2010\n" + text, head, []string{body1, body2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := New().Text(tt.raw, tt.given)
			if p.Title != tt.title {
				t.Errorf("title %q, want %q", p.Title, tt.title)
			}
			if !slices.Equal(p.Paragraphs, tt.body) {
				t.Errorf("body:\n got %q\nwant %q", p.Paragraphs, tt.body)
			}
		})
	}
	t.Run("date line kept as byline", func(t *testing.T) {
		p := New().Text("11.09.2010\n"+text, "")
		if !hasRemoved(p, "11.09.2010", Byline) || !hasRemoved(p, head, Title) {
			t.Errorf("removed %v", p.Removed)
		}
	})
}

// TestTextLongFirstLine checks that a first line far too long for a
// headline (megabytes on one line) stays in the body and gives the title
// only its first sentence or words.
func TestTextLongFirstLine(t *testing.T) {
	const sentence = "The ferry left the harbour on time again this morning."
	const unit = "harbour ferry timetable crossing island " // 40 bytes
	cjk := strings.Repeat("港町の図書館が新館を開館した", 100)
	tests := []struct {
		name, line, title string
	}{
		{"first sentence", strings.TrimSpace(strings.Repeat(sentence+" ", 40000)), sentence},
		{"whole words", strings.TrimSpace(strings.Repeat(unit, 60000)), strings.Repeat(unit, 7) + "harbour ferry"},
		{"no spaces", cjk, cjk[:maxTitle]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := New().Text(tt.line, "")
			if p.Title != tt.title {
				t.Errorf("title %.80q (%d bytes), want %.80q", p.Title, len(p.Title), tt.title)
			}
			if len(p.Title) > maxTitle || !utf8.ValidString(p.Title) {
				t.Errorf("title of %d bytes, valid UTF-8 %v", len(p.Title), utf8.ValidString(p.Title))
			}
			if !slices.Equal(p.Paragraphs, []string{tt.line}) {
				t.Errorf("the long line left the body: %d paragraphs", len(p.Paragraphs))
			}
		})
	}
}

func TestShortTitle(t *testing.T) {
	long := strings.Repeat("word ", 100)
	tests := []struct{ in, want string }{
		{"Short headline", "Short headline"},
		{"Dr. Ana Ruiz opened the new clinic on the quay today. More " + long, "Dr. Ana Ruiz opened the new clinic on the quay today."},
		{long, strings.TrimSpace(strings.Repeat("word ", 60))},
		{strings.Repeat("é", 200), strings.Repeat("é", 150)},
	}
	for _, tt := range tests {
		if got := shortTitle(tt.in); got != tt.want {
			t.Errorf("shortTitle(%.40q) = %.80q, want %.80q", tt.in, got, tt.want)
		}
	}
}

// TestHTMLTitleNotHeadline: a page whose <title> is a date takes its
// headline from the page text instead.
func TestHTMLTitleNotHeadline(t *testing.T) {
	raw := `<html><head><title>2024-03-14</title></head><body><h1>Tram depot to become a market hall</h1>
<p>The old tram depot on the east side will reopen next spring as a covered market with forty stalls, the city said on Thursday.</p></body></html>`
	p, err := New().HTML([]byte(raw), "")
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Tram depot to become a market hall" {
		t.Errorf("title %q", p.Title)
	}
	want := []string{"The old tram depot on the east side will reopen next spring as a covered market with forty stalls, the city said on Thursday."}
	if !slices.Equal(p.Paragraphs, want) {
		t.Errorf("paragraphs %q", p.Paragraphs)
	}
}

// FuzzTitle checks that the title helpers never panic and that a capped
// title is a prefix of its input, within the cap, on a rune boundary.
func FuzzTitle(f *testing.F) {
	f.Add("Sep 11, 2010 10:00")
	f.Add("Dr. Ana Ruiz opened the clinic. " + strings.Repeat("Ferry é ", 80))
	f.Add(strings.Repeat("港", 200))
	f.Fuzz(func(t *testing.T, s string) {
		IsHeadline(s)
		got := shortTitle(s)
		if !strings.HasPrefix(s, got) || len(got) > maxTitle && len(s) > maxTitle {
			t.Fatalf("shortTitle(%q) = %q", s, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("shortTitle cut a rune: %q", got)
		}
	})
}
