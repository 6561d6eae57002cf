package describe

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/dossiernews/dossier/internal/clean"
)

func TestFooterNameLine(t *testing.T) {
	raw, err := os.ReadFile("testdata/footerlines.json")
	if err != nil {
		t.Fatalf("read fixtures: %v", err)
	}
	var cases []struct {
		Name, Line, Want string
		Domains          []string
		Spelt            bool
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatalf("parse fixtures: %v", err)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			got, spelt := footerNameLine(c.Line, c.Domains)
			if got != c.Want || spelt != c.Spelt {
				t.Errorf("footerNameLine(%q) = %q, %v; want %q, %v", c.Line, got, spelt, c.Want, c.Spelt)
			}
		})
	}
}

// TestFooterOutletInDescribe checks the whole precedence: the footer line
// may be removed furniture or the body's last paragraph, and a name that
// spells the domain beats the name made from a byline e-mail or the URL.
func TestFooterOutletInDescribe(t *testing.T) {
	body := []string{
		"GLENMORE — The ferry between the two islands will run twice a day from Monday, the harbour board said on Friday after a long winter.",
		"Passengers had asked for a second sailing for years, and the board said the new timetable would be reviewed at the end of the summer.",
	}
	cookie := "We use cookies to make this site work. By browsing on you agree to our policy."
	tests := []struct {
		name    string
		url     string
		byline  string
		removed []string // closing furniture, in order
		last    []string // short closing paragraphs, in order
		title   string
		want    string
	}{
		{name: "footer removed, e-mail byline", byline: "By Rhona Keel [rhona.keel@islandpilot.example]",
			removed: []string{"Comments are closed", "Island Pilot © 2026 — islandpilot.example — All rights reserved"}, want: "Island Pilot"},
		{name: "footer left as last paragraph", byline: "By Rhona Keel",
			last: []string{"Island Pilot | islandpilot.example"}, want: "Island Pilot"},
		{name: "footer before a cookie paragraph", byline: "By Rhona Keel",
			removed: []string{"Island Pilot — islandpilot.example"}, last: []string{cookie}, want: "Island Pilot"},
		{name: "URL domain spelt by footer", url: "https://www.islandpilot.example/news/ferry", byline: "By Rhona Keel",
			removed: []string{"© 2026 Island Pilot"}, want: "Island Pilot"},
		{name: "URL domain spelt by title suffix", url: "https://islandpilot.example/news/ferry", byline: "By Rhona Keel",
			title: "Second daily ferry for the islands | Island Pilot", want: "Island Pilot"},
		{name: "no footer falls back to the domain", url: "https://islandpilot.example/news/ferry", byline: "By Rhona Keel",
			want: "islandpilot.example"},
		{name: "footer far from the end is ignored", byline: "By Rhona Keel",
			removed: []string{"Island Pilot | islandpilot.example", "a", "b", "c", "d", "e", "f", "g"}, want: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := clean.Page{Title: tc.title, Paragraphs: append(append([]string(nil), body...), tc.last...)}
			if p.Title == "" {
				p.Title = "Second daily ferry for the islands"
			}
			p.Removed = append(p.Removed, clean.Line{Text: p.Title, Kind: clean.Title, Index: 0},
				clean.Line{Text: tc.byline, Kind: clean.Byline, Index: 1})
			idx := 2 + len(body) + len(tc.last)
			for _, r := range tc.removed {
				p.Removed = append(p.Removed, clean.Line{Text: r, Kind: clean.Furniture, Index: idx})
				idx++
			}
			m := Describe(Input{Source: "ferry.txt", Page: p, Hints: Hints{URL: tc.url}})
			if m.Outlet != tc.want {
				t.Errorf("outlet %q, want %q", m.Outlet, tc.want)
			}
			if len(m.Authors) != 1 || m.Authors[0] != "Rhona Keel" {
				t.Errorf("authors %q, want [Rhona Keel]", m.Authors)
			}
		})
	}
}

func FuzzFooterNameLine(f *testing.F) {
	for _, s := range []string{"Saltmarsh Ledger — saltmarshledger.example", "© 2021 Copperline Weekly",
		"Home | About | x.example", "©", "— | ©", "A © 2020 — b.c — All rights reserved", "\xff© 19"} {
		f.Add(s, "saltmarshledger.example")
	}
	f.Fuzz(func(t *testing.T, line, domain string) {
		name, spelt := footerNameLine(line, []string{domain})
		if spelt && name == "" {
			t.Errorf("footerNameLine(%q) spelt a domain with no name", line)
		}
		if len(name) > len(line) {
			t.Errorf("footerNameLine(%q) = %q, longer than the line", line, name)
		}
	})
}
