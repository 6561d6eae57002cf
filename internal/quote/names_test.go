package quote

import (
	"maps"
	"testing"
)

// TestCanonical checks the story-wide names: one person under the fullest
// proper name, two people of one surname kept apart, organisations under
// their full name.
func TestCanonical(t *testing.T) {
	cases := []struct {
		name  string
		names []string
		want  map[string]string
	}{
		{"one person, many forms",
			[]string{"Brennvik", "Tove Brennvik", "Deputy Minister Tove Brennvik", "Ms. Brennvik"},
			map[string]string{"Brennvik": "Tove Brennvik", "Tove Brennvik": "Tove Brennvik", "Deputy Minister Tove Brennvik": "Tove Brennvik", "Ms. Brennvik": "Tove Brennvik"}},
		{"two of one surname",
			[]string{"Ana Korr", "Korr", "Pavel Korr", "Mr. Korr"},
			map[string]string{"Ana Korr": "Ana Korr", "Korr": "Korr", "Pavel Korr": "Pavel Korr", "Mr. Korr": "Mr. Korr"}},
		{"fullest form wins, first on a tie",
			[]string{"Ines Varga", "Ines M. Varga", "I. Varga", "Varga"},
			map[string]string{"Ines Varga": "Ines M. Varga", "Ines M. Varga": "Ines M. Varga", "I. Varga": "Ines M. Varga", "Varga": "Ines M. Varga"}},
		{"an initial between two given names stays",
			[]string{"Jon Kask", "Jana Kask", "J. Kask"},
			map[string]string{"Jon Kask": "Jon Kask", "Jana Kask": "Jana Kask", "J. Kask": "J. Kask"}},
		{"surname alone, titles stripped",
			[]string{"Senator Lund", "Lund"},
			map[string]string{"Senator Lund": "Lund", "Lund": "Lund"}},
		{"organisation and acronym",
			[]string{"IMB", "the International Maritime Bureau", "International Maritime Bureau"},
			map[string]string{"IMB": "International Maritime Bureau", "the International Maritime Bureau": "International Maritime Bureau", "International Maritime Bureau": "International Maritime Bureau"}},
		{"acronym of two bodies stays",
			[]string{"Port Safety Board", "Pilot Service Bureau", "PSB"},
			map[string]string{"Port Safety Board": "Port Safety Board", "Pilot Service Bureau": "Pilot Service Bureau", "PSB": "PSB"}},
		{"acronym with periods",
			[]string{"United Nations", "U.N."},
			map[string]string{"United Nations": "United Nations", "U.N.": "United Nations"}},
		{"descriptions and groups as they are",
			[]string{"Tove Brennvik's spokesman", "the organisers", "Japan", ""},
			map[string]string{"Tove Brennvik's spokesman": "Tove Brennvik's spokesman", "the organisers": "the organisers", "Japan": "Japan", "": ""}},
		{"nothing", nil, map[string]string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Canonical(c.names)
			if !maps.Equal(got, c.want) {
				t.Errorf("Canonical(%q)\n got %v\nwant %v", c.names, got, c.want)
			}
		})
	}
}

// TestCanonicalOrder checks that the result depends on the names alone:
// the same names in the same order give the same map, and one person's
// canonical form does not depend on which form came first.
func TestCanonicalOrder(t *testing.T) {
	a := Canonical([]string{"Varga", "Harbour Master Ines Varga", "Ines Varga"})
	b := Canonical([]string{"Ines Varga", "Varga", "Harbour Master Ines Varga"})
	for _, m := range []map[string]string{a, b} {
		for k, v := range m {
			if v != "Ines Varga" {
				t.Errorf("%q → %q, want Ines Varga", k, v)
			}
		}
	}
}

// FuzzCanonical checks that every name is a key and no input panics.
func FuzzCanonical(f *testing.F) {
	f.Add("Tove Brennvik", "Ms. Brennvik", "IMB")
	f.Add("", "\xff", "the")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		names := []string{a, b, c}
		got := Canonical(names)
		for _, n := range names {
			if _, ok := got[n]; !ok {
				t.Fatalf("%q missing from %v", n, got)
			}
		}
		again := Canonical(names)
		if !maps.Equal(got, again) {
			t.Fatalf("not deterministic: %v then %v", got, again)
		}
	})
}
