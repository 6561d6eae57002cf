package describe

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/dossiernews/dossier/internal/clean"
)

func TestParseByline(t *testing.T) {
	raw, err := os.ReadFile("testdata/bylines.json")
	if err != nil {
		t.Fatalf("read fixtures: %v", err)
	}
	var cases []struct {
		Line, Agency, Date  string
		Names, Emails, Orgs []string
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatalf("parse fixtures: %v", err)
	}
	for _, c := range cases {
		t.Run(c.Line, func(t *testing.T) {
			b := parseByline(c.Line)
			if !slices.Equal(b.names, c.Names) {
				t.Errorf("names %q, want %q", b.names, c.Names)
			}
			if !slices.Equal(b.emails, c.Emails) {
				t.Errorf("emails %q, want %q", b.emails, c.Emails)
			}
			if c.Orgs != nil && !slices.Equal(b.orgs, c.Orgs) {
				t.Errorf("orgs %q, want %q", b.orgs, c.Orgs)
			}
			got := ""
			if len(b.agencies) > 0 {
				got = b.agencies[0].name
			}
			if got != c.Agency {
				t.Errorf("agency %q, want %q", got, c.Agency)
			}
			if c.Date != "" && b.date != c.Date {
				t.Errorf("date %q, want %q", b.date, c.Date)
			}
		})
	}
}

func TestParseDateText(t *testing.T) {
	raw, err := os.ReadFile("testdata/dates.json")
	if err != nil {
		t.Fatalf("read fixtures: %v", err)
	}
	var cases []struct {
		Text, Want, Zone string
		Time             bool
		Offset           *int
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatalf("parse fixtures: %v", err)
	}
	for _, c := range cases {
		t.Run(c.Text, func(t *testing.T) {
			st, ok := parseDateText(c.Text, true)
			if c.Want == "" {
				if ok {
					t.Fatalf("got %+v, want no date", st)
				}
				return
			}
			if !ok {
				t.Fatalf("no date, want %s", c.Want)
			}
			tm := st.in(nil)
			if got := tm.Format("2006-01-02T15:04:05"); got != c.Want {
				t.Errorf("wall time %s, want %s", got, c.Want)
			}
			if st.hasTime != c.Time {
				t.Errorf("hasTime %v, want %v", st.hasTime, c.Time)
			}
			switch {
			case c.Zone != "":
				if st.zone == nil || st.zone.String() != c.Zone {
					t.Errorf("zone %v, want %s", st.zone, c.Zone)
				}
			case c.Offset != nil:
				if _, off := tm.Zone(); st.zone == nil || off != *c.Offset {
					t.Errorf("offset %d, want %d", off, *c.Offset)
				}
			default:
				if st.zone != nil {
					t.Errorf("zone %v, want none stated", st.zone)
				}
			}
		})
	}
}

func TestDayFirst(t *testing.T) {
	tests := []struct {
		text     string
		dayFirst bool
		want     string
	}{
		{"03/05/2013", true, "2013-05-03"},
		{"03/05/2013", false, "2013-03-05"},
		{"25/05/2013", false, "2013-05-25"},
		{"05/25/2013", true, "2013-05-25"},
		{"03.05.2013", false, "2013-05-03"},
	}
	for _, tc := range tests {
		st, ok := parseDateText(tc.text, tc.dayFirst)
		if got := st.in(time.UTC).Format("2006-01-02"); !ok || got != tc.want {
			t.Errorf("parseDateText(%q, %v) = %s %v, want %s", tc.text, tc.dayFirst, got, ok, tc.want)
		}
	}
}

func FuzzParseByline(f *testing.F) {
	for _, s := range []string{"By Jane Roe [jr@example.org]", "By Tern WirePosted : 1 Jan 2020 01:02", "", "By ,,,", "Von X und Y", "by 日本 太郎"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := parseByline(s)
		for _, n := range b.names {
			if n == "" {
				t.Fatalf("empty name from %q", s)
			}
		}
		splitPeople(s, true)
	})
}

func FuzzParseDateText(f *testing.F) {
	for _, s := range []string{"Published : Apr. 3, 2019 - 16:52", "2020-01-01T00:00:00Z", "31.12.1999 23:59", "7: 15 a. m. Dec. 7, 2009", "99/99/9999", "+99:99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, dayFirst := range []bool{false, true} {
			st, ok := parseDateText(s, dayFirst)
			if !ok {
				continue
			}
			tm := st.in(nil)
			if tm.Year() < 1900 || tm.Year() > 2101 {
				t.Fatalf("%q gave year %d", s, tm.Year())
			}
			if _, err := time.Parse(time.RFC3339, tm.Format(time.RFC3339)); err != nil {
				t.Fatalf("%q: not RFC 3339-able: %v", s, err)
			}
		}
		dateOnly(s)
		parseStated(s, nil, true)
	})
}

func TestFooterOutlet(t *testing.T) {
	raw, err := os.ReadFile("testdata/footers.json")
	if err != nil {
		t.Fatalf("read fixtures: %v", err)
	}
	var cases []struct {
		Lines []string
		Want  string
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatalf("parse fixtures: %v", err)
	}
	for _, c := range cases {
		var p clean.Page
		for i, l := range c.Lines {
			p.Removed = append(p.Removed, clean.Line{Text: l, Kind: clean.Furniture, Index: 30 + i})
		}
		if got := footerOutlet(p); got != c.Want {
			t.Errorf("footerOutlet(%q) = %q, want %q", c.Lines, got, c.Want)
		}
	}
}
