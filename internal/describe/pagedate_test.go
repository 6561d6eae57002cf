package describe

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// TestPageDate reads pages under testdata/pagedates through Describe and
// states the publication and modification times that must come out ("" for
// none).
func TestPageDate(t *testing.T) {
	tests := []struct {
		file, published, modified string
	}{
		// The date beside the headline, confirmed by the stated publication,
		// beats the page header's "today".
		{"shown-confirmed.html", "2023-03-09T23:30:00Z", "2023-03-12T08:00:00Z"},
		// A shown date that only the modification confirms is no first publication.
		{"modified-shown.html", "2022-05-02T09:00:00+02:00", "2022-05-20T16:10:00+02:00"},
		// A publication keyword's date beats a generic date meta.
		{"keyword.html", "2021-11-26T00:00:00Z", "2021-12-01T10:00:00+01:00"},
		// A date inside the headline is its subject.
		{"headline-subject.html", "2019-04-08T00:00:00Z", ""},
		// A dateline opening the first paragraph.
		{"dateline.html", "2020-09-03T00:00:00Z", ""},
		// Microdata dates of many days belong to comments, not to the page.
		{"list-microdata.html", "2018-05-14T00:00:00Z", ""},
		// A stated shape no ISO layout reads goes through go-dateparser.
		{"odd-shape.html", "2022-02-17T09:20:00Z", ""},
		// A UTC time whose local day is the next: the shown date keeps the UTC day.
		{"utc-shown-local.html", "2019-12-26T23:07:45Z", ""},
		// An American English page writes month first.
		{"month-first.html", "2021-03-05T00:00:00Z", ""},
		// The URL's day confirms the byline's date over the header's "today".
		{"url-confirms.html", "2021-06-14T00:00:00Z", ""},
		// A copyright year is no date.
		{"none.html", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", "pagedates", tt.file))
			if err != nil {
				t.Fatalf("read fixture: %v", err)
			}
			m := Describe(Input{Source: tt.file, HTML: raw})
			if got := rfc(m.Published); got != tt.published {
				t.Errorf("published %q, want %q", got, tt.published)
			}
			if got := rfc(m.Modified); got != tt.modified {
				t.Errorf("modified %q, want %q", got, tt.modified)
			}
		})
	}
}

func rfc(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// FuzzParseMachineDate: whatever a meta tag holds, a date read from it is a
// valid day and formats as RFC 3339.
func FuzzParseMachineDate(f *testing.F) {
	for _, s := range []string{"2020-12-05T23:15:0Z", "Di., 25.01.2022 - 14:45", "2021-10-15", "Thu Nov 05 2020 10:00:00 GMT+0100", "", "9999-99-99"} {
		f.Add(s, "de", true)
	}
	f.Fuzz(func(t *testing.T, s, lang string, dayFirst bool) {
		st, ok := parseMachineDate(s, dayFirst, lang)
		if !ok {
			return
		}
		if !validDay(st.year, st.month, st.day) {
			t.Fatalf("%q: invalid day %+v", s, st)
		}
		if _, err := time.Parse(time.RFC3339, st.in(nil).Format(time.RFC3339)); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
	})
}

// BenchmarkCollectDates measures the date walk over the page-date fixtures.
func BenchmarkCollectDates(b *testing.B) {
	files, err := filepath.Glob(filepath.Join("testdata", "pagedates", "*.html"))
	if err != nil || len(files) == 0 {
		b.Fatalf("fixtures: %v", err)
	}
	var docs []pageInfo
	var trees []*html.Node
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		doc := pageTree(Input{HTML: raw})
		docs, trees = append(docs, readPage(doc)), append(trees, doc)
	}
	for b.Loop() {
		for i, d := range trees {
			collectDates(d, docs[i].ld, docs[i].ogTitle, docs[i].title)
		}
	}
}
