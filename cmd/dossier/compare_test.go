package main

import (
	"strings"
	"testing"

	dossier "github.com/dossiernews/dossier"
)

func TestPrintComparison(t *testing.T) {
	a1 := dossier.Article{ID: "a1111111111111111", Outlet: "Harbour Times", Text: `"We will reopen the pier by June," said Ines Varga. The harbour board met on Tuesday.`}
	a2 := dossier.Article{ID: "a2222222222222222", Outlet: "Coast Wire", Text: `Varga said: "We'll reopen the pier by June." The board met on Wednesday.`}
	at := func(a dossier.Article, s string) (int, int) {
		i := strings.Index(a.Text, s)
		if i < 0 {
			t.Fatalf("%q not in %q", s, a.Text)
		}
		return i, i + len(s)
	}
	s1, e1 := at(a1, "The harbour board met on Tuesday.")
	v1, w1 := at(a1, "Tuesday")
	s2, e2 := at(a2, "The board met on Wednesday.")
	v2, w2 := at(a2, "Wednesday")
	c := dossier.Comparison{
		Remarks: []dossier.Remark{{Speaker: "Ines Varga", Text: "We will reopen the pier by June,", Outlets: []string{"Harbour Times", "Coast Wire"},
			Quotes: []dossier.QuoteRef{{Article: a1.ID, Start: 1, End: 33}, {Article: a2.ID, Start: 13, End: 43}}}},
		Unique: []dossier.Unique{{Article: a1.ID, Start: s1, End: e1, Score: 0.8, Outlets: []string{"Harbour Times"}}},
		Conflicts: []dossier.Conflict{{About: "day the board met", Values: []dossier.ConflictValue{
			{Article: a1.ID, Value: "Tuesday", Start: v1, End: w1, SentenceStart: s1, SentenceEnd: e1},
			{Article: a2.ID, Value: "Wednesday", Start: v2, End: w2, SentenceStart: s2, SentenceEnd: e2},
		}}},
	}
	var b strings.Builder
	printComparison(&b, 80, c, []dossier.Article{a1, a2})
	got := b.String()
	for _, want := range []string{
		"Remarks\n  Ines Varga · 2 outlets\n",
		"    Harbour Times: “We will reopen the pier by June,”\n",
		"    Coast Wire: “We'll reopen the pier by June.”\n",
		"Only in one outlet\n  Harbour Times (a11111111)\n    • The harbour board met on Tuesday.\n",
		"Where outlets disagree\n  day the board met\n",
		"    Harbour Times: Tuesday — The harbour board met on Tuesday.\n",
		"    Coast Wire: Wednesday — The board met on Wednesday.\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}

func TestWrap(t *testing.T) {
	var b strings.Builder
	wrap(&b, 20, "  lead: ", "one two three four five six")
	want := "  lead: one two\n        three four\n        five six\n"
	if b.String() != want {
		t.Errorf("wrap:\n%q\nwant\n%q", b.String(), want)
	}
}

func TestSpeakerRoles(t *testing.T) {
	articles := []dossier.Article{
		{Quotes: []dossier.Quote{{Speaker: "Ines Varga", Role: "harbour master"}, {Speaker: "Ines Varga"}, {Speaker: "Odo Lind", Role: "mayor"}}},
		{Quotes: []dossier.Quote{{Speaker: "Ines Varga", Role: "port official"}, {Speaker: "Ines Varga", Role: "harbour master"}}},
	}
	got := speakerRoles(articles)
	want := map[string]string{"Ines Varga": "harbour master", "Odo Lind": "mayor"}
	if len(got) != len(want) || got["Ines Varga"] != want["Ines Varga"] || got["Odo Lind"] != want["Odo Lind"] {
		t.Errorf("speakerRoles = %v, want %v", got, want)
	}
}
