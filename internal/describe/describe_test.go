package describe

import (
	"slices"
	"testing"
	"time"

	"github.com/dossiernews/dossier/internal/clean"
)

// body is an invented English paragraph long enough to detect a language.
const body = "The harbour authority said on the record that the new ferry terminal would open to passengers next spring, after two years of delays caused by flooding."

func TestDescribe(t *testing.T) {
	tests := []struct {
		name      string
		in        Input
		title     string
		outlet    string
		authors   []string
		contacts  []string
		published string // RFC 3339, "" when unknown
		lang      string
		url       string
	}{
		{
			name: "hints win",
			in: Input{
				Page:  clean.Page{Title: "Ferry terminal delayed", Paragraphs: []string{body}},
				Hints: Hints{URL: "https://news.example.org/a/1", Title: "Stated title", Outlet: "Harbour Gazette", Published: "2021-05-04T10:00:00+02:00", Language: "de-DE", Authors: []string{"LENA VOSS and Tomas Brenner"}},
			},
			title: "Stated title", outlet: "Harbour Gazette", authors: []string{"Lena Voss", "Tomas Brenner"},
			published: "2021-05-04T10:00:00+02:00", lang: "de", url: "https://news.example.org/a/1",
		},
		{
			name: "wire byline on a daily's page",
			in: Input{Page: clean.Page{
				Title:      "Ferry terminal delayed",
				Paragraphs: []string{body, "Officials expect the work to finish before the summer season begins in earnest. (Kyodo)"},
				Removed:    []clean.Line{{Text: "By KyodoPosted April 2, 2020 4:30 pm", Kind: clean.Byline, Index: 1}},
				Meta:       clean.Meta{Sitename: "Harbour Daily"},
			}},
			title: "Ferry terminal delayed", outlet: "Kyodo", published: "2020-04-02T16:30:00+09:00", lang: "en",
		},
		{
			name: "furniture phrase spells the e-mail's domain; weekday is no date",
			in: Input{Page: clean.Page{
				Title:      "Ferry terminal delayed",
				Paragraphs: []string{body, "The minister said Wednesday that more money would follow."},
				Removed: []clean.Line{
					{Text: "Lena Voss (lena.voss@valleypost.example)", Kind: clean.Byline, Index: 9},
					{Text: "Readers' letters to the Valley Post", Kind: clean.Furniture, Index: 10},
					{Text: "Share this story", Kind: clean.Furniture, Index: 11},
				},
			}},
			title: "Ferry terminal delayed", outlet: "Valley Post", authors: []string{"Lena Voss"},
			contacts: []string{"lena.voss@valleypost.example"}, lang: "en",
		},
		{
			name: "copyright footer and dateline; ccTLD zone",
			in: Input{Source: "dump/7.txt", Page: clean.Page{
				Title:      "Ferry terminal delayed",
				Paragraphs: []string{"Sunday 14 Feb 2016", body},
				Removed:    []clean.Line{{Text: "Copyright © 2016 Harbour Courier. All rights reserved.", Kind: clean.Furniture, Index: 20}},
			}, Hints: Hints{URL: "https://www.harbourcourier.de/x"}},
			title: "Ferry terminal delayed", outlet: "Harbour Courier", published: "2016-02-14T00:00:00+01:00", lang: "en",
			url: "https://www.harbourcourier.de/x",
		},
		{
			name: "agency dateline; title suffix names the site",
			in: Input{Page: clean.Page{
				Title:      "Ferry terminal delayed | Harbour News",
				Paragraphs: []string{"LISBON (AP) — " + body},
				Removed:    []clean.Line{{Text: "Posted: March 3, 2014 8: 10 PM", Kind: clean.Byline, Index: 1}},
			}},
			title: "Ferry terminal delayed | Harbour News", outlet: "AP", published: "2014-03-03T20:10:00-05:00", lang: "en",
		},
		{
			name: "site name strips the title suffix; domain is the last resort",
			in: Input{Page: clean.Page{
				Title:      "Ferry terminal delayed - Harbour News",
				Paragraphs: []string{body},
				Meta:       clean.Meta{Sitename: "Harbour News", URL: "https://harbournews.example.com/p/2"},
			}},
			title: "Ferry terminal delayed", outlet: "Harbour News", lang: "en", url: "https://harbournews.example.com/p/2",
		},
		{
			name: "site name with a generic tail; meta author needs a full name",
			in: Input{Page: clean.Page{
				Title:      "Harbour tolls rise › harbour news online",
				Paragraphs: []string{body},
				Meta:       clean.Meta{Sitename: "Harbour News", Author: "null"},
			}},
			title: "Harbour tolls rise", outlet: "Harbour News", lang: "en",
		},
		{
			name: "newsroom byline and masthead dateline: an outlet, never an author",
			in: Input{Page: clean.Page{
				Title:      "Ferry terminal delayed",
				Paragraphs: []string{"By Ridgeway Sentinel staff", "DOVER (Ridgeway Sentinel) - " + body},
			}},
			title: "Ferry terminal delayed", outlet: "Ridgeway Sentinel", lang: "en",
		},
		{
			name: "masthead dateline after a photo line",
			in: Input{Page: clean.Page{
				Title:      "Ferry terminal delayed",
				Paragraphs: []string{"Ferry at dawn.", "DOVER (Ridgeway Sentinel) - " + body},
			}},
			title: "Ferry terminal delayed", outlet: "Ridgeway Sentinel", lang: "en",
		},
		{
			name:  "too short to tell the language; domain outlet",
			in:    Input{Page: clean.Page{Title: "Short", Paragraphs: []string{"Ferry late."}}, Hints: Hints{URL: "https://www.tidewatch.net/a"}},
			title: "Short", outlet: "tidewatch.net", url: "https://www.tidewatch.net/a",
		},
		{
			name:  "stated time without zone stays wall time in UTC",
			in:    Input{Page: clean.Page{Title: "T", Paragraphs: []string{body}}, Hints: Hints{Published: "2018-07-01 09:30"}},
			title: "T", published: "2018-07-01T09:30:00Z", lang: "en",
		},
		{
			name:  "a stated title that is only a dateline gives the date, not the title",
			in:    Input{Page: clean.Page{Title: "Ferry terminal delayed", Paragraphs: []string{body}}, Hints: Hints{Title: "21 / 09 / 2010", Authors: []string{"Reuters"}}},
			title: "Ferry terminal delayed", outlet: "Reuters", published: "2010-09-21T00:00:00Z", lang: "en",
		},
		{
			// 11 September or 9 November: nothing on the page says.
			name:  "a numeric date whose order of day and month is unknown is passed over",
			in:    Input{Page: clean.Page{Title: "Ferry terminal delayed", Paragraphs: []string{body}}, Hints: Hints{Title: "11 / 09 / 2010", Authors: []string{"Reuters"}}},
			title: "Ferry terminal delayed", outlet: "Reuters", lang: "en",
		},
		{
			name:  "the same date on a page in German is day first",
			in:    Input{Page: clean.Page{Title: "Fähre verspätet", Paragraphs: []string{"Die Fähre zum Terminal fährt erst im Frühjahr, sagte die Hafenbehörde am Montag."}}, Hints: Hints{Title: "11 / 09 / 2010", Language: "de"}},
			title: "Fähre verspätet", published: "2010-09-11T00:00:00Z", lang: "de",
		},
		{
			name:  "unparseable stated time is unknown",
			in:    Input{Page: clean.Page{Title: "T", Paragraphs: []string{body}}, Hints: Hints{Published: "last week"}},
			title: "T", lang: "en",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := Describe(tc.in)
			if m.Title != tc.title {
				t.Errorf("title %q, want %q", m.Title, tc.title)
			}
			if m.Outlet != tc.outlet {
				t.Errorf("outlet %q, want %q", m.Outlet, tc.outlet)
			}
			if !slices.Equal(m.Authors, tc.authors) {
				t.Errorf("authors %q, want %q", m.Authors, tc.authors)
			}
			if !slices.Equal(m.Contacts, tc.contacts) {
				t.Errorf("contacts %q, want %q", m.Contacts, tc.contacts)
			}
			got := ""
			if !m.Published.IsZero() {
				got = m.Published.Format(time.RFC3339)
			}
			if got != tc.published {
				t.Errorf("published %q, want %q", got, tc.published)
			}
			if m.Language != tc.lang {
				t.Errorf("language %q, want %q", m.Language, tc.lang)
			}
			if m.URL != tc.url {
				t.Errorf("url %q, want %q", m.URL, tc.url)
			}
		})
	}
}

func TestDescribeHTML(t *testing.T) {
	page := []byte(`<html lang="fr"><head><title>Le port rouvre | Gazette du Port</title>
<meta property="og:site_name" content="Gazette du Port">
<link rel="canonical" href="https://gazetteduport.example.fr/port">
<meta property="article:published_time" content="2022-03-01T08:15:00+01:00">
<script type="application/ld+json">{"@type":"NewsArticle","author":{"@type":"Person","name":"Claire Dumas"}}</script>
</head><body><article><p>Le port de la ville a rouvert ce matin après trois semaines de travaux, a annoncé la mairie dans un communiqué publié lundi.</p></article></body></html>`)
	m := Describe(Input{HTML: page, Page: clean.Page{Paragraphs: []string{"Le port de la ville a rouvert ce matin après trois semaines de travaux, a annoncé la mairie dans un communiqué publié lundi."}}})
	if m.Outlet != "Gazette du Port" || m.Title != "Le port rouvre" || m.URL != "https://gazetteduport.example.fr/port" {
		t.Errorf("got outlet %q title %q url %q", m.Outlet, m.Title, m.URL)
	}
	if got := m.Published.Format(time.RFC3339); got != "2022-03-01T08:15:00+01:00" {
		t.Errorf("published %s, want 2022-03-01T08:15:00+01:00", got)
	}
	if !slices.Equal(m.Authors, []string{"Claire Dumas"}) || m.Language != "fr" {
		t.Errorf("authors %q language %q", m.Authors, m.Language)
	}
}

// FuzzReadPage fuzzes the page-metadata reader and the text path of Describe.
// htmldate itself is left out: under fuzzing instrumentation its regular
// expression engine (WebAssembly) runs a handful of inputs a minute.
func FuzzReadPage(f *testing.F) {
	f.Add([]byte(`<html><head><meta property="article:published_time" content="2020-01-01T00:00:00Z"></head><body>x</body></html>`), "By A B")
	f.Add([]byte(`<script type="application/ld+json">{"@graph":[{"datePublished":"x","author":[{"name":1}]}]}</script>`), "")
	f.Fuzz(func(t *testing.T, raw []byte, line string) {
		doc := pageTree(Input{HTML: raw})
		pi := readPage(doc)
		ds := collectDates(doc, pi.ld, pi.title)
		for _, tm := range slices.Concat(statedTimes(ds.published, nil, true, pi.lang), shownTimes(ds.near, nil, true)) {
			if _, err := time.Parse(time.RFC3339, tm.Format(time.RFC3339)); err != nil {
				t.Fatalf("stated time not RFC 3339-able: %v", err)
			}
		}
		m := Describe(Input{Page: clean.Page{Title: line, Paragraphs: []string{line, string(raw)}, Removed: []clean.Line{{Text: line, Kind: clean.Byline}}}})
		if !m.Published.IsZero() {
			if _, err := time.Parse(time.RFC3339, m.Published.Format(time.RFC3339)); err != nil {
				t.Fatalf("published not RFC 3339-able: %v", err)
			}
		}
	})
}

func BenchmarkDescribeText(b *testing.B) {
	in := Input{Page: clean.Page{
		Title:      "Ferry terminal delayed - Harbour News",
		Paragraphs: []string{body, body, body},
		Removed:    []clean.Line{{Text: "By Lena Voss Published : Jan. 9, 2020 - 07:45", Kind: clean.Byline, Index: 1}},
	}}
	for b.Loop() {
		Describe(in)
	}
}
