package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestSearchAPI(t *testing.T) {
	f := newFixture(t, Config{Loopback: true}, examplePaths...)
	tests := []struct {
		name, target string
		status       int
		code         string // the error's, for a failure
		minHits      int
		check        func(t *testing.T, l SearchList)
	}{
		{name: "word", target: "/api/v1/search?q=ferry", status: 200, minHits: 2, check: func(t *testing.T, l SearchList) {
			for _, h := range l.Hits {
				if len(h.Snippet.Marks) == 0 && len(h.TitleMarks) == 0 {
					t.Errorf("%s: nothing marked: %+v", h.ID, h)
				}
				for _, m := range h.Snippet.Marks {
					if got := strings.ToLower(h.Snippet.Text[m[0]:m[1]]); !strings.HasPrefix(got, "ferr") {
						t.Errorf("%s: mark %q is not the word", h.ID, got)
					}
				}
			}
		}},
		{name: "unclosed quote", target: "/api/v1/search?q=" + url.QueryEscape(`"island ferry`), status: 200, minHits: 1},
		{name: "colons", target: "/api/v1/search?q=" + url.QueryEscape("a:b :: lang:english ferry"), status: 200},
		{name: "script", target: "/api/v1/search?q=" + url.QueryEscape("<script>"), status: 200, minHits: 1},
		{name: "empty lists newest", target: "/api/v1/search?limit=3", status: 200, minHits: 3},
		{name: "limit", target: "/api/v1/search?q=the&limit=1", status: 200, minHits: 1, check: func(t *testing.T, l SearchList) {
			if len(l.Hits) != 1 || l.Next == "" {
				t.Errorf("want one hit and a next page, got %d and %q", len(l.Hits), l.Next)
			}
		}},
		{name: "huge", target: "/api/v1/search?q=" + strings.Repeat("ferry+", MaxQuery), status: 400, code: "bad_request"},
		{name: "bad limit", target: "/api/v1/search?q=ferry&limit=0", status: 400, code: "bad_request"},
		{name: "bad cursor", target: "/api/v1/search?q=ferry&cursor=nonsense", status: 400, code: "bad_cursor"},
		{name: "stories cursor", target: "/api/v1/search?q=ferry&cursor=730180a0dd9c9ab68be730067362666662666163316435666231396366", status: 400, code: "bad_cursor"},
		{name: "quotes", target: "/api/v1/quotes?q=islanders", status: 200, minHits: 1, check: func(t *testing.T, l SearchList) {
			for _, h := range l.Hits {
				if h.Quote == nil || !strings.Contains(strings.ToLower(h.Quote.Text), "islanders") {
					t.Errorf("%s: not a quote with the word: %+v", h.ID, h.Quote)
				}
			}
		}},
		{name: "speaker without words", target: "/api/v1/quotes?speaker=" + url.QueryEscape("?!"), status: 400, code: "bad_request"},
		{name: "unknown speaker", target: "/api/v1/quotes?speaker=Nobody+Atall", status: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := f.do(t, http.MethodGet, tt.target, "", nil, nil)
			body := readAll(t, resp)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %.300s", resp.StatusCode, tt.status, body)
			}
			if tt.code != "" {
				if got := errorCode(t, body); got != tt.code {
					t.Errorf("code %q, want %q", got, tt.code)
				}
				return
			}
			var l SearchList
			if err := json.Unmarshal([]byte(body), &l); err != nil || l.Hits == nil {
				t.Fatalf("not a list of hits (%v): %.300s", err, body)
			}
			if len(l.Hits) < tt.minHits {
				t.Errorf("%d hits, want at least %d", len(l.Hits), tt.minHits)
			}
			if tt.check != nil {
				tt.check(t, l)
			}
		})
	}
}

// TestQuotesBySpeaker finds a quote's speaker by the speaker parameter,
// and no quote of anyone else.
func TestQuotesBySpeaker(t *testing.T) {
	f := newFixture(t, Config{Loopback: true}, examplePaths...)
	var all SearchList
	if err := json.Unmarshal([]byte(readAll(t, f.do(t, "GET", "/api/v1/quotes?q=the&limit=50", "", nil, nil))), &all); err != nil {
		t.Fatal(err)
	}
	speaker := ""
	for _, h := range all.Hits {
		if h.Quote != nil && strings.Contains(h.Quote.Speaker, " ") {
			speaker = h.Quote.Speaker
			break
		}
	}
	if speaker == "" {
		t.Fatal("no example quote has a speaker with a full name")
	}
	var l SearchList
	body := readAll(t, f.do(t, "GET", "/api/v1/quotes?speaker="+url.QueryEscape(speaker), "", nil, nil))
	if err := json.Unmarshal([]byte(body), &l); err != nil || len(l.Hits) == 0 {
		t.Fatalf("no quotes of %q (%v): %.300s", speaker, err, body)
	}
	for _, h := range l.Hits {
		if h.Quote == nil || h.Quote.Speaker != speaker {
			t.Errorf("a quote of someone else: %+v", h.Quote)
		}
	}
}

// TestStoriesSearch pages the stories of a search: each page's stories
// are distinct and each holds a matching article.
func TestStoriesSearch(t *testing.T) {
	f := newFixture(t, Config{Loopback: true}, examplePaths...)
	var hits SearchList
	if err := json.Unmarshal([]byte(readAll(t, f.do(t, "GET", "/api/v1/search?q=the&limit=1000", "", nil, nil))), &hits); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, h := range hits.Hits {
		want[h.Story] = true
	}
	if len(want) < 2 {
		t.Fatalf("the examples' hits fall in %d stories; the test needs two", len(want))
	}
	got := map[string]bool{}
	cursor := ""
	for range 100 {
		target := "/api/v1/stories?q=the&limit=2"
		if cursor != "" {
			target += "&cursor=" + url.QueryEscape(cursor)
		}
		resp := f.do(t, "GET", target, "", nil, nil)
		body := readAll(t, resp)
		var l StoryList
		if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &l) != nil {
			t.Fatalf("status %d: %.300s", resp.StatusCode, body)
		}
		page := map[string]bool{}
		for _, s := range l.Stories {
			if page[s.ID] || !want[s.ID] {
				t.Errorf("story %s twice on a page, or without a hit", s.ID)
			}
			page[s.ID], got[s.ID] = true, true
		}
		if cursor = l.Next; cursor == "" {
			break
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d stories listed, want %d", len(got), len(want))
	}
	for _, tt := range []struct {
		target, code string
	}{
		{"/api/v1/stories?q=the&cursor=nonsense", "bad_cursor"},
		{"/api/v1/stories?q=the&from=2025-03-01T00:00:00Z", "bad_request"},
		{"/api/v1/stories?q=the&outlet=%3F%3F", "bad_request"},
	} {
		resp := f.do(t, "GET", tt.target, "", nil, nil)
		if body := readAll(t, resp); resp.StatusCode != 400 || errorCode(t, body) != tt.code {
			t.Errorf("%s: status %d, %.200s; want 400 %s", tt.target, resp.StatusCode, body, tt.code)
		}
	}
}

func TestSearchPage(t *testing.T) {
	f := newFixture(t, Config{Loopback: true}, examplePaths...)
	tests := []struct {
		name, q, extra string
		status         int
		has, hasNot    []string
	}{
		{name: "empty shows help", q: "", status: 200, has: []string{"How to search", "<details class=\"card help\" open>"}, hasNot: []string{"No articles match"}},
		{name: "punctuation shows help", q: `"" :: -`, status: 200, has: []string{"How to search", " open>"}},
		{name: "hits marked", q: "ferry", status: 200, has: []string{`<mark>`, `class="hit"`, `href="/stories/`, "How to search"}, hasNot: []string{"<details class=\"card help\" open>"}},
		{name: "script escaped", q: `<script>alert(1)</script> ferry`, status: 200, has: []string{`value="&lt;script&gt;alert(1)&lt;/script&gt; ferry"`}, hasNot: []string{"<script>"}},
		{name: "hostile title escaped", q: "timetable", status: 200, has: []string{"&lt;script&gt;"}, hasNot: []string{"<script>", "<img", "<b "}},
		{name: "unclosed quote", q: `"island ferry`, status: 200, has: []string{`class="hit"`}},
		{name: "no match", q: "zzyzzyx", status: 200, has: []string{"No articles match"}},
		{name: "quotes tab", q: "islanders", extra: "&quotes=1", status: 200, has: []string{`class="hit-quote"`, `aria-current="page">Quotes`, "?hl="}},
		{name: "huge", q: strings.Repeat("<script>ferry ", MaxQuery), status: 400, has: []string{"too long"}, hasNot: []string{"<script>"}},
		{name: "bad cursor", q: "ferry", extra: "&cursor=nonsense", status: 400, has: []string{"out of date"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := f.do(t, http.MethodGet, "/search?q="+url.QueryEscape(tt.q)+tt.extra, "", nil, nil)
			body := readAll(t, resp)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			for _, s := range tt.has {
				if !strings.Contains(body, s) {
					t.Errorf("the page lacks %q", s)
				}
			}
			for _, s := range tt.hasNot {
				if strings.Contains(body, s) {
					t.Errorf("the page has %q", s)
				}
			}
			if len(body) > 200_000 {
				t.Errorf("the page is %d bytes", len(body))
			}
		})
	}
}

var nextLink = regexp.MustCompile(`class="next" href="([^"]+)"`)

// TestSearchPageMore follows "More results" to the end: every hit once.
func TestSearchPageMore(t *testing.T) {
	f := newFixture(t, Config{Loopback: true}, examplePaths...)
	var all SearchList
	if err := json.Unmarshal([]byte(readAll(t, f.do(t, "GET", "/api/v1/search?q=the&limit=1000", "", nil, nil))), &all); err != nil {
		t.Fatal(err)
	}
	hit := regexp.MustCompile(`<h2 class="hit-title"><a href="/articles/([^"?]+)"`)
	seen := map[string]bool{}
	target := "/search?q=the&limit=3"
	pages := 0
	for target != "" && pages < 100 {
		pages++
		body := readAll(t, f.do(t, "GET", target, "", nil, nil))
		for _, m := range hit.FindAllStringSubmatch(body, -1) {
			if seen[m[1]] {
				t.Errorf("%s twice", m[1])
			}
			seen[m[1]] = true
		}
		target = ""
		if m := nextLink.FindStringSubmatch(body); m != nil {
			target = strings.ReplaceAll(m[1], "&amp;", "&")
		}
	}
	if len(seen) != len(all.Hits) || pages < 2 {
		t.Errorf("%d hits over %d pages, want %d over several", len(seen), pages, len(all.Hits))
	}
}

// TestStoriesPageMore: the stories page's "Older stories" link is a
// real next page (a query string written after "?" in a template would
// be escaped as one value).
func TestStoriesPageMore(t *testing.T) {
	f := newFixture(t, Config{Loopback: true}, examplePaths...)
	first := readAll(t, f.do(t, "GET", "/?limit=1", "", nil, nil))
	m := nextLink.FindStringSubmatch(first)
	if m == nil {
		t.Fatal("no link to older stories")
	}
	next := strings.ReplaceAll(m[1], "&amp;", "&")
	if !strings.HasPrefix(next, "/?cursor=") {
		t.Fatalf("next link %q", next)
	}
	second := readAll(t, f.do(t, "GET", next, "", nil, nil))
	story := regexp.MustCompile(`<td class="title"><a href="(/stories/[^"]+)"`)
	a, b := story.FindStringSubmatch(first), story.FindStringSubmatch(second)
	if a == nil || b == nil || a[1] == b[1] {
		t.Errorf("the second page does not go on from the first: %v, %v", a, b)
	}
}

func TestPieces(t *testing.T) {
	tests := []struct {
		text  string
		marks [][2]int
		want  []piece
	}{
		{"ferry day", [][2]int{{0, 5}}, []piece{{"ferry", true}, {" day", false}}},
		{"ferry day", [][2]int{{6, 9}}, []piece{{"ferry ", false}, {"day", true}}},
		{"ferry day", nil, []piece{{"ferry day", false}}},
		// Out of range, backwards, overlapping and mid-rune marks are dropped.
		{"ferry day", [][2]int{{4, 2}, {0, 99}, {0, 3}, {2, 5}}, []piece{{"fer", true}, {"ry day", false}}},
		{"café", [][2]int{{0, 4}}, []piece{{"café", false}}},
		{"", [][2]int{{0, 0}}, nil},
	}
	for _, tt := range tests {
		got := pieces(tt.text, tt.marks)
		if len(got) != len(tt.want) {
			t.Errorf("pieces(%q, %v) = %v, want %v", tt.text, tt.marks, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("pieces(%q, %v) = %v, want %v", tt.text, tt.marks, got, tt.want)
			}
		}
	}
}

// FuzzPieces: pieces always spell the text back, whatever the marks.
func FuzzPieces(f *testing.F) {
	f.Add("ferry day", 0, 5, 6, 9)
	f.Add("café", 0, 4, 4, 5)
	f.Fuzz(func(t *testing.T, text string, a, b, c, d int) {
		var sb strings.Builder
		for _, p := range pieces(text, [][2]int{{a, b}, {c, d}}) {
			sb.WriteString(p.Text)
		}
		if sb.String() != text {
			t.Errorf("pieces spell %q, want %q", sb.String(), text)
		}
	})
}

// FuzzSearchPage: any query gives a page, never a failure, and never
// reflects markup.
func FuzzSearchPage(f *testing.F) {
	fx := newFixture(f, Config{Loopback: true}, examplePaths...)
	for _, s := range []string{"ferry", `"unclosed`, "a:b", "<script>", "speaker:", "-", "*", "from:2025-13-01"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, q string, quotes bool) {
		target := "/search?q=" + url.QueryEscape(q)
		if quotes {
			target += "&quotes=1"
		}
		resp := fx.do(t, "GET", target, "", nil, nil)
		body := readAll(t, resp)
		if resp.StatusCode != 200 && resp.StatusCode != 400 {
			t.Fatalf("status %d for %q", resp.StatusCode, q)
		}
		if strings.Contains(body, "<script") {
			t.Errorf("markup reflected for %q", q)
		}
	})
}
