package describe

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dossiernews/dossier/internal/clean"
)

func TestTitleHints(t *testing.T) {
	long := strings.Repeat("harbour ", 45) + "ferry" // 365 bytes
	tests := []struct{ hint, page, want string }{
		{"Ferries return to the estuary", "Page title", "Ferries return to the estuary"},
		{"11 / 09 / 2010", "Ferries return to the estuary", "Ferries return to the estuary"},
		{"Tuesday, 08 May 2012 10: 30", "Ferries return to the estuary", "Ferries return to the estuary"},
		{"https://valleypost.example/2021/ferries", "Ferries return to the estuary", "Ferries return to the estuary"},
		{"www.valleypost.example", "Ferries return to the estuary", "Ferries return to the estuary"},
		{"valleypost.example/ferries", "Ferries return to the estuary", "Ferries return to the estuary"},
		{"  ", "Ferries return to the estuary", "Ferries return to the estuary"},
		{"2021 — 04", "Ferries return to the estuary", "Ferries return to the estuary"},
		{"#42", "Ferries return to the estuary", "Ferries return to the estuary"},
		{"Node.js 22 is out", "Page title", "Node.js 22 is out"},
		{"Valleypost.example sold", "Page title", "Valleypost.example sold"},
		{"May 2021 in numbers", "Page title", "May 2021 in numbers"},
		{long, "Page title", strings.Repeat("harbour ", 36) + "harbour"},
		{"11 / 09 / 2010", long, strings.Repeat("harbour ", 36) + "harbour"},
	}
	for _, tc := range tests {
		m := Describe(Input{Page: clean.Page{Title: tc.page, Paragraphs: []string{body}}, Hints: Hints{Title: tc.hint}})
		if m.Title != tc.want {
			t.Errorf("hint %q, page %q: title %q, want %q", tc.hint, tc.page, m.Title, tc.want)
		}
	}
}

func TestCapTitle(t *testing.T) {
	word := strings.Repeat("é", 200) // 400 bytes, no space
	tests := []struct {
		in      string
		wantLen int
	}{
		{"Short title", 11},
		{strings.Repeat("a", 300), 300},
		{strings.Repeat("a", 299) + " bb", 299},
		{word, 300},
		{strings.Repeat("ab ", 120), 299},
	}
	for _, tc := range tests {
		got := capTitle(tc.in)
		if len(got) != tc.wantLen || !utf8.ValidString(got) || !strings.HasPrefix(tc.in, got) {
			t.Errorf("capTitle(%d bytes) = %d bytes %q…, want %d bytes, a valid prefix", len(tc.in), len(got), got[:min(len(got), 20)], tc.wantLen)
		}
	}
}

func FuzzCapTitle(f *testing.F) {
	f.Add("Ferries return to the estuary")
	f.Add(strings.Repeat("é ", 200))
	f.Fuzz(func(t *testing.T, s string) {
		got := capTitle(s)
		if len(got) > maxTitle || !strings.HasPrefix(s, got) {
			t.Fatalf("capTitle(%q) = %q", s, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("capTitle cut a rune: %q", got)
		}
	})
}
