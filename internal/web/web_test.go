package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store"
	"github.com/dossiernews/dossier/internal/store/sqlite"
)

const testToken = "test-token-0123456789"

// fixture is a store with the bundled examples and a hostile article.
type fixture struct {
	st   *sqlite.Store
	db   string
	srv  *Server
	http *httptest.Server
}

func newFixture(t testing.TB, cfg Config, paths ...string) *fixture {
	t.Helper()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "d.db")
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if len(paths) > 0 {
		files, problems := source.List(paths)
		if len(problems) > 0 {
			t.Fatalf("list: %v", problems)
		}
		in, err := ingest.New(ctx, st, ingest.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := in.Run(ctx, files, nil, nil); err != nil {
			t.Fatal(err)
		}
		if err := in.Close(); err != nil {
			t.Fatal(err)
		}
	}
	cfg.Store, cfg.DBPath, cfg.TempDir = st, db, t.TempDir()
	cfg.Logger = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	if cfg.Token == "" {
		cfg.Token = testToken
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{st: st, db: db, srv: srv}
	f.http = httptest.NewServer(srv.Handler())
	t.Cleanup(f.http.Close)
	return f
}

var examplePaths = []string{"../../examples", "testdata/hostile.jsonl"}

// do sends a request to the fixture's handler without the network.
func (f *fixture) do(t *testing.T, method, target, contentType string, body io.Reader, header map[string]string) *http.Response {
	t.Helper()
	r := httptest.NewRequest(method, target, body)
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(w, r)
	return w.Result()
}

func readAll(t *testing.T, r *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func errorCode(t *testing.T, body string) string {
	t.Helper()
	var e apiErr
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("not an error object: %v: %s", err, body)
	}
	if e.Error.Message == "" {
		t.Errorf("error without a message: %s", body)
	}
	return e.Error.Code
}

func firstStory(t *testing.T, f *fixture, title string) store.StorySummary {
	t.Helper()
	pg, err := f.st.StoriesPage(context.Background(), store.StoryQuery{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range pg.Stories {
		if strings.Contains(s.Title, title) {
			return s
		}
	}
	t.Fatalf("no story titled like %q", title)
	return store.StorySummary{}
}

// comparedStory is an example story with remarks, unique facts and conflicts.
func comparedStory(t testing.TB, f *fixture) string {
	t.Helper()
	pg, err := f.st.StoriesPage(context.Background(), store.StoryQuery{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range pg.Stories {
		st, err := f.st.Story(context.Background(), s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c := st.Comparison; c != nil && len(c.Remarks) > 0 && len(c.Unique) > 0 && len(c.Conflicts) > 0 {
			return s.ID
		}
	}
	t.Fatal("no example story has remarks, unique facts and conflicts")
	return ""
}

func TestAPIErrors(t *testing.T) {
	f := newFixture(t, Config{Loopback: true}, examplePaths...)
	story := comparedStory(t, f)
	auth := map[string]string{"Authorization": "Bearer " + testToken}
	big := strings.Repeat("x", DefaultMaxBody+10)
	tests := []struct {
		name, method, target, ctype, body string
		header                            map[string]string
		status                            int
		code                              string
	}{
		{name: "unknown story", method: "GET", target: "/api/v1/stories/szzzzzzzz", status: 404, code: "not_found"},
		{name: "unknown article", method: "GET", target: "/api/v1/articles/a000000000000", status: 404, code: "not_found"},
		{name: "ambiguous prefix", method: "GET", target: "/api/v1/articles/a", status: 400, code: "ambiguous"},
		{name: "bad limit", method: "GET", target: "/api/v1/stories?limit=0", status: 400, code: "bad_request"},
		{name: "limit too big", method: "GET", target: "/api/v1/stories?limit=5000", status: 400, code: "bad_request"},
		{name: "bad date", method: "GET", target: "/api/v1/stories?from=yesterday", status: 400, code: "bad_request"},
		{name: "bad cursor", method: "GET", target: "/api/v1/stories?cursor=%00garbage", status: 400, code: "bad_cursor"},
		{name: "unknown route", method: "GET", target: "/api/v1/nothing", status: 404, code: "not_found"},
		{name: "wrong method", method: "DELETE", target: "/api/v1/stories/" + story, status: 405, code: "method_not_allowed"},
		{name: "GET the post route", method: "PUT", target: "/api/v1/articles", status: 405, code: "method_not_allowed"},
		{name: "post without token", method: "POST", target: "/api/v1/articles", ctype: "application/json", body: `{"text":"x"}`, status: 401, code: "unauthorized"},
		{name: "post with wrong token", method: "POST", target: "/api/v1/articles", ctype: "application/json", body: `{"text":"x"}`,
			header: map[string]string{"Authorization": "Bearer nope"}, status: 401, code: "unauthorized"},
		{name: "malformed JSON", method: "POST", target: "/api/v1/articles", ctype: "application/json", body: `{"title": "a", `, header: auth, status: 400, code: "bad_request"},
		{name: "JSON array", method: "POST", target: "/api/v1/articles", ctype: "application/json", body: `[1,2]`, header: auth, status: 400, code: "bad_request"},
		{name: "empty body", method: "POST", target: "/api/v1/articles", ctype: "application/json", body: ``, header: auth, status: 400, code: "bad_request"},
		{name: "wrong field type", method: "POST", target: "/api/v1/articles", ctype: "application/json", body: `{"title": 5, "text": "a b"}`, header: auth, status: 400, code: "bad_request"},
		{name: "huge JSON", method: "POST", target: "/api/v1/articles", ctype: "application/json", body: `{"text":"` + big + `"}`, header: auth, status: 413, code: "too_large"},
		{name: "huge JSONL", method: "POST", target: "/api/v1/articles", ctype: "application/x-ndjson", body: big, header: auth, status: 413, code: "too_large"},
		{name: "empty JSONL", method: "POST", target: "/api/v1/articles", ctype: "application/x-ndjson", body: "", header: auth, status: 400, code: "bad_request"},
		{name: "wrong media type", method: "POST", target: "/api/v1/articles", ctype: "text/csv", body: "a,b", header: auth, status: 415, code: "unsupported_media_type"},
		{name: "story found by prefix", method: "GET", target: "/api/v1/stories/" + story[:8], status: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := f.do(t, tt.method, tt.target, tt.ctype, strings.NewReader(tt.body), tt.header)
			body := readAll(t, resp)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if tt.code != "" {
				if got := errorCode(t, body); got != tt.code {
					t.Errorf("code %q, want %q", got, tt.code)
				}
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
}

func TestPost(t *testing.T) {
	f := newFixture(t, Config{Loopback: true})
	auth := map[string]string{"Authorization": "Bearer " + testToken}
	batch, err := os.ReadFile("testdata/batch.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	post := func(body []byte) PostResult {
		t.Helper()
		resp := f.do(t, "POST", "/api/v1/articles", "application/x-ndjson", bytes.NewReader(body), auth)
		text := readAll(t, resp)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d: %s", resp.StatusCode, text)
		}
		var pr PostResult
		if err := json.Unmarshal([]byte(text), &pr); err != nil {
			t.Fatal(err)
		}
		return pr
	}
	statuses := func(pr PostResult) string {
		var s []string
		for _, r := range pr.Results {
			s = append(s, r.Status)
		}
		return strings.Join(s, ",")
	}
	first := post(batch)
	if got, want := statuses(first), "new,failed,new,failed"; got != want {
		t.Fatalf("first post: %s, want %s (%+v)", got, want, first.Results)
	}
	for i, item := range []int{1, 2, 3, 4} {
		if first.Results[i].Item != item {
			t.Errorf("result %d is item %d, want %d", i, first.Results[i].Item, item)
		}
	}
	if r := first.Results[0]; r.ID == "" || r.Story == "" || r.Title != "Allotment waiting list closes after record demand" {
		t.Errorf("new article: %+v", r)
	}
	if r := first.Results[1]; r.Error == "" {
		t.Errorf("bad line has no reason: %+v", r)
	}
	if got, want := statuses(post(batch)), "unchanged,failed,unchanged,failed"; got != want {
		t.Errorf("same batch again: %s, want %s", got, want)
	}
	// The same URL with other words is an update of the same article.
	edited := bytes.Replace(batch, []byte("four hundred"), []byte("five hundred"), 1)
	batch = bytes.Replace(batch, []byte("four hundred"), []byte("six hundred"), 1)
	again := post(edited)
	if got, want := statuses(again), "updated,failed,unchanged,failed"; got != want {
		t.Errorf("edited batch: %s, want %s", got, want)
	}
	// A batch whose first line is junk is still read as JSONL.
	junkFirst := append([]byte("# not a record\n"), batch...)
	if got, want := statuses(post(junkFirst)), "failed,updated,failed,unchanged,failed"; got != want {
		t.Errorf("junk first line: %s, want %s", got, want)
	}
	if again.Results[0].ID != first.Results[0].ID {
		t.Errorf("update changed the ID: %s then %s", first.Results[0].ID, again.Results[0].ID)
	}
	// One JSON article, pretty-printed, and a copy of it from another outlet.
	one := `{
  "url": "https://harrowgate.example/allotments-copy",
  "outlet": "Harrowgate Weekly",
  "published": "2024-06-11T15:00:00+01:00",
  "text": "Allotment waiting list closes after record demand\n\nThe town's allotment waiting list has closed to new names after it passed five hundred, the parks office said on Tuesday.\n\n\"We simply have no more plots to give,\" said Hesper Lunn, who runs the parks office. She said a field behind the old mill could add sixty plots next year."
}`
	resp := f.do(t, "POST", "/api/v1/articles", "application/json", strings.NewReader(one), auth)
	text := readAll(t, resp)
	var pr PostResult
	if err := json.Unmarshal([]byte(text), &pr); err != nil || resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, text)
	}
	if len(pr.Results) != 1 || pr.Results[0].Status != StatusNew || pr.Results[0].DuplicateOf != first.Results[0].ID || pr.Results[0].Story != first.Results[0].Story {
		t.Errorf("copy: %+v, want new, a duplicate of %s in story %s", pr.Results, first.Results[0].ID, first.Results[0].Story)
	}
}

func TestAuth(t *testing.T) {
	tests := []struct {
		name                  string
		cfg                   Config
		header                map[string]string
		read, write, uiStatus int
	}{
		{name: "loopback", cfg: Config{Loopback: true}, read: 200, write: 401, uiStatus: 200},
		{name: "loopback with token", cfg: Config{Loopback: true}, header: map[string]string{"Authorization": "Bearer " + testToken}, read: 200, write: 200, uiStatus: 200},
		{name: "loopback --open", cfg: Config{Loopback: true, Open: true}, read: 200, write: 200, uiStatus: 200},
		{name: "network", cfg: Config{}, read: 401, write: 401, uiStatus: 303},
		{name: "network, wrong token", cfg: Config{}, header: map[string]string{"Authorization": "Bearer " + testToken + "x"}, read: 401, write: 401, uiStatus: 303},
		{name: "network with token", cfg: Config{}, header: map[string]string{"Authorization": "Bearer " + testToken}, read: 200, write: 200, uiStatus: 303},
		{name: "network --public", cfg: Config{Public: true}, read: 200, write: 401, uiStatus: 200},
		{name: "network --open is not open", cfg: Config{Open: true}, read: 401, write: 401, uiStatus: 303},
		{name: "read-only, even with the token", cfg: Config{Loopback: true, ReadOnly: true}, header: map[string]string{"Authorization": "Bearer " + testToken}, read: 200, write: 403, uiStatus: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.cfg)
			if resp := f.do(t, "GET", "/api/v1/stories", "", nil, tt.header); resp.StatusCode != tt.read {
				t.Errorf("read: %d, want %d", resp.StatusCode, tt.read)
			}
			resp := f.do(t, "POST", "/api/v1/articles", "application/json", strings.NewReader(`{"text":"Tram line\n\nThe tram line reopens."}`), tt.header)
			if resp.StatusCode != tt.write {
				t.Errorf("write: %d, want %d: %s", resp.StatusCode, tt.write, readAll(t, resp))
			}
			if resp := f.do(t, "GET", "/", "", nil, nil); resp.StatusCode != tt.uiStatus {
				t.Errorf("page: %d, want %d", resp.StatusCode, tt.uiStatus)
			} else if tt.uiStatus == 303 && !strings.HasPrefix(resp.Header.Get("Location"), "/signin?next=") {
				t.Errorf("redirected to %q", resp.Header.Get("Location"))
			}
			if resp := f.do(t, "GET", "/healthz", "", nil, nil); resp.StatusCode != 200 {
				t.Errorf("healthz: %d", resp.StatusCode)
			}
		})
	}
}

// TestReadOnly: a read-only server serves every page but takes nothing,
// and offers no way to add articles.
func TestReadOnly(t *testing.T) {
	f := newFixture(t, Config{Loopback: true, ReadOnly: true}, examplePaths...)
	resp := f.do(t, "POST", "/api/v1/articles", "application/json", strings.NewReader(`{"text":"Tram line\n\nThe tram line reopens."}`),
		map[string]string{"Authorization": "Bearer " + testToken})
	if body := readAll(t, resp); resp.StatusCode != 403 || errorCode(t, body) != "read_only" {
		t.Errorf("post: %d %s", resp.StatusCode, body)
	}
	if resp := f.do(t, "GET", "/ingest", "", nil, nil); resp.StatusCode != 403 || !strings.Contains(readAll(t, resp), "read-only") {
		t.Errorf("upload page: %d", resp.StatusCode)
	}
	resp = f.do(t, "GET", "/", "", nil, nil)
	if body := readAll(t, resp); resp.StatusCode != 200 || strings.Contains(body, `href="/ingest"`) || strings.Contains(body, "Sign in") {
		t.Errorf("stories page: %d, offers to add articles or to sign in:\n%s", resp.StatusCode, body)
	}
	story := firstStory(t, f, "")
	if resp := f.do(t, "GET", "/stories/"+story.ID, "", nil, nil); resp.StatusCode != 200 {
		t.Errorf("story page: %d", resp.StatusCode)
	}
}

// browser is a cookie-keeping client of the fixture's real server.
type browser struct {
	t *testing.T
	c *http.Client
	f *fixture
}

func newBrowser(t *testing.T, f *fixture) *browser {
	jar := newJar()
	return &browser{t: t, f: f, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.c.Get(b.f.http.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp, readAll(b.t, resp)
}

func (b *browser) postForm(path string, v url.Values) *http.Response {
	b.t.Helper()
	resp, err := b.c.PostForm(b.f.http.URL+path, v)
	if err != nil {
		b.t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// csrfOf finds the CSRF token a page's forms carry.
func csrfOf(t *testing.T, page string) string {
	t.Helper()
	for _, lead := range []string{`name="csrf" value="`, `?csrf=`} {
		if _, rest, ok := strings.Cut(page, lead); ok {
			tok, _, _ := strings.Cut(rest, `"`)
			return tok
		}
	}
	t.Fatal("no CSRF token on the page")
	return ""
}

func TestSignInAndCSRF(t *testing.T) {
	f := newFixture(t, Config{}, "testdata/hostile.jsonl")
	b := newBrowser(t, f)
	if resp, _ := b.get("/"); resp.StatusCode != 303 {
		t.Fatalf("signed out: %d", resp.StatusCode)
	}
	_, page := b.get("/signin?next=/ingest")
	tok := csrfOf(t, page)
	tests := []struct {
		name   string
		form   url.Values
		status int
	}{
		{"no CSRF token", url.Values{"token": {testToken}}, 403},
		{"wrong CSRF token", url.Values{"token": {testToken}, "csrf": {"00" + tok[2:]}}, 403},
		{"wrong token", url.Values{"token": {"guess"}, "csrf": {tok}}, 401},
		{"right token", url.Values{"token": {testToken}, "csrf": {tok}, "next": {"/ingest"}}, 303},
	}
	for _, tt := range tests {
		if resp := b.postForm("/signin", tt.form); resp.StatusCode != tt.status {
			t.Errorf("%s: %d, want %d", tt.name, resp.StatusCode, tt.status)
		} else if tt.status == 303 {
			if loc := resp.Header.Get("Location"); loc != "/ingest" {
				t.Errorf("sent to %q after signing in", loc)
			}
			var session *http.Cookie
			for _, c := range resp.Cookies() {
				if c.Name == sessionCookie {
					session = c
				}
			}
			if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteStrictMode {
				t.Errorf("session cookie: %+v", session)
			}
		}
	}
	if resp, _ := b.get("/"); resp.StatusCode != 200 {
		t.Errorf("signed in: %d", resp.StatusCode)
	}
	// An open redirect is refused.
	if resp := b.postForm("/signin", url.Values{"token": {testToken}, "csrf": {tok}, "next": {"//elsewhere.example/"}}); resp.Header.Get("Location") != "/" {
		t.Errorf("next=//elsewhere sent to %q", resp.Header.Get("Location"))
	}
	// An upload without the form's token is refused before it is read.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("files", "x.txt")
	fw.Write([]byte("Title\n\nBody text here."))
	mw.Close()
	resp, err := b.c.Post(f.http.URL+"/ingest", mw.FormDataContentType(), bytes.NewReader(body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("upload without CSRF: %d", resp.StatusCode)
	}
}

func TestUpload(t *testing.T) {
	f := newFixture(t, Config{Loopback: true, Open: true, MaxUpload: 64 << 10})
	b := newBrowser(t, f)
	resp, page := b.get("/ingest")
	if resp.StatusCode != 200 {
		t.Fatalf("form: %d", resp.StatusCode)
	}
	tok := csrfOf(t, page)
	send := func(files map[string][]byte) (int, string) {
		t.Helper()
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for _, name := range []string{"upload.txt", "batch.jsonl", "big.txt"} {
			if data, ok := files[name]; ok {
				fw, _ := mw.CreateFormFile("files", name)
				fw.Write(data)
			}
		}
		mw.Close()
		resp, err := b.c.Post(f.http.URL+"/ingest?csrf="+url.QueryEscape(tok), mw.FormDataContentType(), &body)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		return resp.StatusCode, readAll(t, resp)
	}
	txt, _ := os.ReadFile("testdata/upload.txt")
	batch, _ := os.ReadFile("testdata/batch.jsonl")
	status, page := send(map[string][]byte{"upload.txt": txt, "batch.jsonl": batch})
	if status != 200 {
		t.Fatalf("upload: %d\n%s", status, page)
	}
	for _, want := range []string{"upload.txt", "batch.jsonl", "Footbridge over the Selm closes for repainting", "3 new · 2 failed", `class="status failed"`} {
		if !strings.Contains(page, want) {
			t.Errorf("results lack %q", want)
		}
	}
	if _, page = send(map[string][]byte{"upload.txt": txt}); !strings.Contains(page, "1 unchanged") {
		t.Error("the same file again is not unchanged")
	}
	if status, page = send(map[string][]byte{"big.txt": bytes.Repeat([]byte("word "), 20000)}); status != 413 || !strings.Contains(page, "limit") {
		t.Errorf("oversize upload: %d", status)
	}
	if entries, _ := os.ReadDir(f.srv.cfg.TempDir); len(entries) != 0 {
		t.Errorf("uploads left behind: %v", entries)
	}
}

// TestConcurrentPosts sends more posts at once than one ingest takes
// (maxBatchBodies): they share ingests in arrival order, and
// each still gets its own items back.
func TestConcurrentPosts(t *testing.T) {
	f := newFixture(t, Config{Loopback: true, Open: true})
	const n = 4 * maxBatchBodies
	var wg sync.WaitGroup
	got := make([]PostResult, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var body strings.Builder
			if i%3 == 0 {
				body.WriteString("junk line\n")
			}
			for k := range 2 {
				fmt.Fprintf(&body, `{"url":"https://quay.example/%d/%d","outlet":"Quay Post","text":"Quay notice %d %d\n\nBerth %d closes on day %d for dredging, the quay office said."}`+"\n", i, k, i, k, i*10+k, i+k+1)
			}
			resp := f.do(t, "POST", "/api/v1/articles", "application/x-ndjson", strings.NewReader(strings.TrimSuffix(body.String(), "\n")), nil)
			if resp.StatusCode != 200 {
				t.Errorf("post %d: %d", i, resp.StatusCode)
				return
			}
			json.Unmarshal([]byte(readAll(t, resp)), &got[i])
		}()
	}
	wg.Wait()
	for i, pr := range got {
		want := "1:new,2:new"
		if i%3 == 0 {
			want = "1:failed,2:new,3:new"
		}
		var s []string
		for _, r := range pr.Results {
			s = append(s, fmt.Sprintf("%d:%s", r.Item, r.Status))
			if r.Status == StatusNew && !strings.Contains(r.Title, fmt.Sprintf("Quay notice %d ", i)) {
				t.Errorf("post %d got another post's article: %+v", i, r)
			}
		}
		if strings.Join(s, ",") != want {
			t.Errorf("post %d: %s, want %s", i, strings.Join(s, ","), want)
		}
	}
}
