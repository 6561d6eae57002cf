package web

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dossiernews/dossier/internal/store"
)

func TestPages(t *testing.T) {
	f := newFixture(t, Config{Loopback: true}, examplePaths...)
	story := comparedStory(t, f)
	sv, err := f.srv.storyView(context.Background(), story)
	if err != nil {
		t.Fatal(err)
	}
	hostile := firstStory(t, f, "Ferry timetable")
	hp, err := f.st.ArticlesPage(context.Background(), storyArticles(hostile.ID))
	if err != nil || len(hp.Articles) != 1 {
		t.Fatalf("hostile article: %v", err)
	}
	hostileArticle := hp.Articles[0]
	u := sv.Unique[0]
	tests := []struct {
		name, path string
		status     int
		want       []string // each must be in the page
		wantNot    []string
	}{
		{name: "stories", path: "/", status: 200, want: []string{sv.Title, `action="/search"`, `name="outlet"`, "Ferry timetable"}},
		{name: "stories by outlet", path: "/?outlet=" + url.QueryEscape(sv.Outlets[0]), status: 200, want: []string{sv.Title}, wantNot: []string{"Ferry timetable"}},
		{name: "stories, no match", path: "/?outlet=Nobody+At+All", status: 200, want: []string{"No stories match"}},
		{name: "stories, bad date", path: "/?from=soon", status: 400, want: []string{"The filter from"}},
		{name: "stories paged", path: "/?limit=1", status: 200, want: []string{"Older stories"}},
		{name: "story", path: "/stories/" + story, status: 200,
			want: []string{"<svg", "Timeline", "Remarks, outlet by outlet", "Only in one outlet", "Where outlets disagree", "Who is quoted",
				fmt.Sprintf("/articles/%s?hl=%d-%d#hl", u.Article, u.Start, u.End)}},
		{name: "story by prefix", path: "/stories/" + story[:9], status: 302},
		{name: "unknown story", path: "/stories/szzzzzz", status: 404, want: []string{"Not found"}},
		{name: "article", path: fmt.Sprintf("/articles/%s?hl=%d-%d", u.Article, u.Start, u.End), status: 200,
			want: []string{`<mark id="hl">`, `class="quote"`, `class="speaker"`}},
		{name: "article, hl out of range", path: "/articles/" + u.Article + "?hl=5-99999999", status: 200, wantNot: []string{"<mark"}},
		{name: "article, hl garbage", path: "/articles/" + u.Article + "?hl=-3-x", status: 200, wantNot: []string{"<mark"}},
		{name: "unknown article", path: "/articles/azzzzzz", status: 404},
		{name: "hostile story", path: "/stories/" + hostile.ID, status: 200,
			want: []string{"&lt;script&gt;"}, wantNot: []string{"<script", "<img", "<b ", `href="javascript`}},
		{name: "hostile article", path: "/articles/" + hostileArticle.ID, status: 200,
			want: []string{"&lt;script&gt;", "&lt;img src=x onerror="}, wantNot: []string{"<script", "<img", "<b ", `href="javascript`}},
		{name: "hostile stories list", path: "/", status: 200, wantNot: []string{"<script", "<img", "<b "}},
		{name: "no page", path: "/nowhere", status: 404, want: []string{"Page not found"}},
		{name: "upload form needs the token", path: "/ingest", status: 303},
		{name: "stylesheet", path: "/assets/style.css", status: 200, want: []string{"--accent"}},
		{name: "metrics", path: "/metrics", status: 200, want: []string{"dossier_http_requests_total", "dossier_store_size_bytes", "dossier_http_request_duration_seconds"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := f.do(t, "GET", tt.path, "", nil, nil)
			body := readAll(t, resp)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(body, w) {
					t.Errorf("page has %q", w)
				}
			}
			h := resp.Header
			if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "default-src 'none'") {
				t.Errorf("CSP %q", csp)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
				t.Errorf("headers %v", h)
			}
		})
	}
}

func TestMetricsCountRoutes(t *testing.T) {
	f := newFixture(t, Config{Loopback: true})
	for range 3 {
		f.do(t, "GET", "/stories/sabc", "", nil, nil)
	}
	body := readAll(t, f.do(t, "GET", "/metrics", "", nil, nil))
	want := `dossier_http_requests_total{method="GET",route="GET /stories/{id}",status="404"} 3`
	if !strings.Contains(body, want) {
		t.Errorf("metrics lack %s", want)
	}
	if strings.Contains(body, "sabc") {
		t.Error("an ID became a label")
	}
}

func TestSafeURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://outlet.example/a?b=1", "https://outlet.example/a?b=1"},
		{"HTTP://outlet.example/", "http://outlet.example/"},
		{"javascript:alert(1)", ""},
		{"JavaScript://outlet.example/%0aalert(1)", ""},
		{" javascript:alert(1)", ""},
		{"data:text/html,<script>", ""},
		{"//outlet.example/x", ""},
		{"/relative", ""},
		{"", ""},
		{"vbscript:x", ""},
	}
	for _, tt := range tests {
		if got := safeURL(tt.in); got != tt.want {
			t.Errorf("safeURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParagraphs(t *testing.T) {
	text := "One \"two\" three.\n\nFour five."
	q := []QuoteView{{Start: 4, End: 9, Speaker: "Ada Vell", Role: "clerk"}}
	render := func(ps []Paragraph) string {
		var b strings.Builder
		for _, p := range ps {
			b.WriteString("[")
			for _, s := range p {
				switch {
				case s.Mark && s.Quote > 0:
					b.WriteString("<MQ:" + s.Text + ">")
				case s.Mark:
					b.WriteString("<M:" + s.Text + ">")
				case s.Quote > 0:
					b.WriteString("<Q:" + s.Text + ">")
				default:
					b.WriteString(s.Text)
				}
				if s.Speaker != "" {
					b.WriteString("{" + s.Speaker + "," + s.Role + "}")
				}
			}
			b.WriteString("]")
		}
		return b.String()
	}
	tests := []struct {
		name   string
		quotes []QuoteView
		mark   span
		want   string
	}{
		{"plain", nil, span{-1, -1}, `[One "two" three.][Four five.]`},
		{"quote", q, span{-1, -1}, `[One <Q:"two">{Ada Vell,clerk} three.][Four five.]`},
		{"mark overlapping the quote", q, span{7, 16}, `[One <Q:"tw><MQ:o">{Ada Vell,clerk}<M: three.>][Four five.]`},
		{"speaker after the closing mark and comma", []QuoteView{{Start: 5, End: 8, Speaker: "Ada Vell"}}, span{-1, -1}, `[One "<Q:two>"{Ada Vell,} three.][Four five.]`},
		{"mark in the second paragraph", nil, span{18, 22}, `[One "two" three.][<M:Four> five.]`},
		{"mark out of range", q, span{3, 500}, `[One <Q:"two">{Ada Vell,clerk} three.][Four five.]`},
		{"quote reversed", []QuoteView{{Start: 9, End: 4}}, span{-1, -1}, `[One "two" three.][Four five.]`},
	}
	for _, tt := range tests {
		if got := render(paragraphs(text, tt.quotes, tt.mark)); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
	// A mark inside a character is dropped, never cuts it.
	if got := render(paragraphs("Café au lait", nil, span{4, 8})); got != "[Café au lait]" {
		t.Errorf("mark off a rune boundary: %s", got)
	}
}

func TestTimeline(t *testing.T) {
	at := func(s string) *time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return &tm
	}
	items := []ArticleItem{
		{ID: "a1", Outlet: "North", Published: at("2024-01-01T10:00:00Z")},
		{ID: "a2", Outlet: "South", Published: at("2024-01-01T12:00:00Z"), DuplicateOf: "a1"},
		{ID: "a3", Outlet: "North", Published: at("2024-01-01T14:00:00Z")},
		{ID: "a4", Outlet: "West"},
	}
	tl := timeline(items)
	if len(tl.Lanes) != 2 || tl.Undated != 1 || len(tl.Dots) != 3 {
		t.Fatalf("lanes %v, undated %d, dots %d", tl.Lanes, tl.Undated, len(tl.Dots))
	}
	if tl.Dots[0].X != tl.Left || tl.Dots[2].X != tl.Right || tl.Dots[1].X != (tl.Left+tl.Right)/2 {
		t.Errorf("x: %d %d %d, want %d, middle, %d", tl.Dots[0].X, tl.Dots[1].X, tl.Dots[2].X, tl.Left, tl.Right)
	}
	if tl.Dots[0].Y != tl.Dots[2].Y || tl.Dots[0].Y == tl.Dots[1].Y || !tl.Dots[1].Copy {
		t.Errorf("lanes of the dots: %+v", tl.Dots)
	}
	if got := []string{tl.Ticks[0].Label, tl.Ticks[2].Label}; got[0] != "10:00" || got[1] != "14:00" {
		t.Errorf("ticks %v", got)
	}
	// Many outlets share one last lane.
	var many []ArticleItem
	for i := range 40 {
		many = append(many, ArticleItem{ID: fmt.Sprint(i), Outlet: fmt.Sprint("Outlet ", i), Published: at("2024-01-01T10:00:00Z")})
	}
	if tl := timeline(many); len(tl.Lanes) != maxLanes+1 || tl.Lanes[maxLanes].Label != "Other outlets" {
		t.Errorf("%d lanes", len(tl.Lanes))
	}
}

// TestSVGEscapes draws a story whose titles and outlets carry markup.
func TestSVGEscapes(t *testing.T) {
	f := newFixture(t, Config{Loopback: true}, "testdata/hostile.jsonl")
	s := firstStory(t, f, "Ferry")
	body := readAll(t, f.do(t, "GET", "/stories/"+s.ID, "", nil, nil))
	_, svg, ok := strings.Cut(body, "<svg")
	if !ok {
		t.Fatal("no timeline")
	}
	svg, _, _ = strings.Cut(svg, "</svg>")
	if tags := regexp.MustCompile(`<(script|img|b)[\s>]`).FindAllString(svg, -1); len(tags) > 0 {
		t.Errorf("markup from the article in the SVG: %v", tags)
	}
	if !strings.Contains(svg, "&lt;script&gt;") {
		t.Error("the title's text is missing from the SVG")
	}
}

func FuzzParagraphs(f *testing.F) {
	f.Add("Said \"x\" y.\n\nZ.", 5, 8, 2, 12)
	f.Add("日本語の\"引用\"です", 3, 9, 0, 40)
	f.Fuzz(func(t *testing.T, text string, qs, qe, ms, me int) {
		ps := paragraphs(text, []QuoteView{{Start: qs, End: qe}}, span{ms, me})
		var total int
		for _, p := range ps {
			for _, s := range p {
				if !strings.Contains(text, s.Text) {
					t.Fatalf("segment %q is not in the text", s.Text)
				}
				total += len(s.Text)
			}
		}
		if total > len(text) {
			t.Fatalf("segments hold %d bytes of %d", total, len(text))
		}
	})
}

func FuzzStoryQuery(f *testing.F) {
	f.Add("outlet=A&from=2024-01-02&to=2024-02-01T10:00:00Z&limit=5&cursor=x")
	f.Add("from=2024-13-40&limit=-1")
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := storyQuery(v)
		if err == nil && (q.Limit < 0 || q.Limit > 1000) {
			t.Fatalf("limit %d let through", q.Limit)
		}
	})
}

func storyArticles(id string) store.ArticleQuery { return store.ArticleQuery{Story: id, Limit: 10} }
