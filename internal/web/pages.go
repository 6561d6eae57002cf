package web

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dossiernews/dossier/internal/ident"
	"github.com/dossiernews/dossier/internal/store"
)

var pageNames = []string{"stories", "story", "article", "ingest", "signin", "error", "search"}

func parseTemplates() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"short": ident.ShortID,
		"when": func(t *time.Time) string {
			if t == nil {
				return "—"
			}
			return t.Format("2 Jan 2006, 15:04 MST")
		},
		"day": func(t *time.Time) string {
			if t == nil {
				return "—"
			}
			return t.Format("2 Jan 2006")
		},
		"span":    dateSpan,
		"safeURL": safeURL,
		"join":    func(s []string) string { return strings.Join(s, ", ") },
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return "1 " + one
			}
			return strconv.Itoa(n) + " " + many
		},
		"pct":    func(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) },
		"orNone": func(s string) string { return cmpOr(s, "Unknown outlet") },
		"orAnon": func(s string) string { return cmpOr(s, "Unattributed") },
		"hlLink": func(id string, start, end int) string {
			return fmt.Sprintf("/articles/%s?hl=%d-%d#hl", url.PathEscape(id), start, end)
		},
		"add":     func(a, b int) int { return a + b },
		"first":   func(s string, n int) string { return firstRunes(s, n) },
		"outlets": func(s []string) string { return cmpOr(strings.Join(s, ", "), "Unknown outlet") },
	}
	pages := map[string]*template.Template{}
	// drawn is the page around content drawn before: Data is that
	// content, already escaped by the template that drew it.
	drawn, err := template.New("drawn").Funcs(funcs).ParseFS(assets, "assets/templates/base.html")
	if err == nil {
		_, err = drawn.Parse(`{{define "content"}}{{.Data}}{{end}}`)
	}
	if err != nil {
		return nil, fmt.Errorf("web: template drawn: %w", err)
	}
	pages["drawn"] = drawn
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(assets, "assets/templates/base.html", "assets/templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

func cmpOr(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

func firstRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n])) + "…"
}

func dateSpan(first, last *time.Time) string {
	switch {
	case first == nil || last == nil:
		return "undated"
	case first.Format(time.DateOnly) == last.Format(time.DateOnly):
		return first.Format("2 Jan 2006")
	case first.Year() == last.Year():
		return first.Format("2 Jan") + " – " + last.Format("2 Jan 2006")
	}
	return first.Format("2 Jan 2006") + " – " + last.Format("2 Jan 2006")
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand never fails on supported systems
	return hex.EncodeToString(b)
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// page is what every template gets.
type page struct {
	Title    string
	Nav      string
	CSRF     string
	SignedIn bool
	// CanSignIn is false when nothing here needs the token.
	CanSignIn bool
	// ReadOnly hides what adds articles.
	ReadOnly bool
	Data     any
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title, nav string, data any) {
	p := page{Title: title, Nav: nav, CSRF: s.csrfToken(w, r), SignedIn: s.signedIn(r),
		CanSignIn: !(s.mayRead(false) && (s.cfg.ReadOnly || s.mayWrite(false))), ReadOnly: s.cfg.ReadOnly, Data: data}
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "base", p); err != nil {
		s.log.Error("render", "page", name, "err", err)
		http.Error(w, "the page could not be drawn", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// renderDrawn serves a page around content drawn by one of the pages'
// templates (drawStory).
func (s *Server) renderDrawn(w http.ResponseWriter, r *http.Request, title, nav string, body []byte) {
	s.render(w, r, http.StatusOK, "drawn", title, nav, template.HTML(body)) // escaped when drawn
}

type errorData struct{ Heading, Message string }

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, heading, msg string) {
	s.render(w, r, status, "error", heading, "", errorData{heading, msg})
}

// failPage answers a store error: not found, or a failure logged whole.
func (s *Server) failPage(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound, "Not found", "Nothing in this store has that ID. It may have been removed.")
	case errors.Is(err, store.ErrAmbiguous):
		s.errorPage(w, r, http.StatusBadRequest, "More than one match", "That ID is the beginning of several; give more of it.")
	case r.Context().Err() != nil:
		// The visitor left.
	default:
		s.log.Error("page", "path", r.URL.Path, "err", err)
		s.errorPage(w, r, http.StatusInternalServerError, "Something went wrong", "The store could not answer. The server's log says why.")
	}
}

type storiesData struct {
	Stories          []StoryItem
	Outlet, From, To string
	// NextURL is a whole address: html/template escapes a query string
	// written after a literal "?" as one value.
	Next, Cursor, NextURL string
	Filtered              bool
	Problem               string
}

// storyQuery reads the filters that the stories page and API share.
func storyQuery(v url.Values) (store.StoryQuery, error) {
	q := store.StoryQuery{Outlet: strings.TrimSpace(v.Get("outlet")), Cursor: v.Get("cursor")}
	var err error
	if q.From, err = store.ParseBound(v.Get("from"), false); err != nil {
		return q, fmt.Errorf("from: %w", err)
	}
	if q.To, err = store.ParseBound(v.Get("to"), true); err != nil {
		return q, fmt.Errorf("to: %w", err)
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > store.MaxLimit {
			return q, fmt.Errorf("limit: want a whole number from 1 to %d", store.MaxLimit)
		}
		q.Limit = n
	}
	return q, nil
}

func (s *Server) storiesPage(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	d := storiesData{Outlet: v.Get("outlet"), From: v.Get("from"), To: v.Get("to"), Cursor: v.Get("cursor")}
	d.Filtered = d.Outlet != "" || d.From != "" || d.To != ""
	q, err := storyQuery(v)
	if err != nil {
		d.Problem = "The filter " + err.Error() + "."
		s.render(w, r, http.StatusBadRequest, "stories", "Stories", "stories", d)
		return
	}
	if q.Limit == 0 {
		q.Limit = 30
	}
	pg, err := s.store.StoriesPage(r.Context(), q)
	if err != nil {
		if d.Cursor != "" && !errors.Is(err, r.Context().Err()) {
			d.Problem = "That page of stories is out of date; start again from the newest."
			s.render(w, r, http.StatusBadRequest, "stories", "Stories", "stories", d)
			return
		}
		s.failPage(w, r, err)
		return
	}
	for _, st := range pg.Stories {
		d.Stories = append(d.Stories, storyItem(st))
	}
	if pg.Next != "" {
		nv := url.Values{}
		for _, k := range []string{"outlet", "from", "to"} {
			if x := v.Get(k); x != "" {
				nv.Set(k, x)
			}
		}
		nv.Set("cursor", pg.Next)
		d.Next, d.NextURL = pg.Next, "/?"+nv.Encode()
	}
	s.render(w, r, http.StatusOK, "stories", "Stories", "stories", d)
}

// resolvePage turns the path's ID into the current one, sending the
// browser to the current address when it was a prefix or an old ID.
func (s *Server) resolvePage(w http.ResponseWriter, r *http.Request, kind store.Kind, base string) (string, bool) {
	ref := r.PathValue("id")
	id, err := s.store.Resolve(r.Context(), kind, ref)
	if err != nil {
		s.failPage(w, r, err)
		return "", false
	}
	if id != ref {
		target := base + url.PathEscape(id)
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusFound)
		return "", false
	}
	return id, true
}

type storyData struct {
	StoryView
	Timeline Timeline
	// Quotes lists every quote when there is no comparison to group them.
	Quotes []storyQuote
	// Single is true when some remark was carried by one outlet only.
	Single bool
	// UniqueGroups are the unique facts by article.
	UniqueGroups []uniqueGroup
	// OutletOf names each article's outlet, for its copies.
	OutletOf map[string]string
}

type uniqueGroup struct {
	Article string
	Outlets []string
	Items   []UniqueView
}

type storyQuote struct {
	Article, Outlet string
	QuoteView
}

func (s *Server) storyPage(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("id")
	version, ok, err := s.storyVersion(r.Context(), ref)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	if ok {
		if e, hit := s.views.get(viewKey{viewPage, ref}, version); hit {
			s.metrics.cached.WithLabelValues("hit").Inc()
			s.renderDrawn(w, r, e.title, "stories", e.body)
			return
		}
		s.metrics.cached.WithLabelValues("miss").Inc()
	}
	id := ref
	if !ok {
		if id, ok = s.resolvePage(w, r, store.KindStory, "/stories/"); !ok {
			return
		}
		// Not a current ID read literally (the cache never keys by an
		// alias or a prefix), or no versions: read as is, kept by none.
		version = -1
	}
	title, body, err := s.drawStory(r, id)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	if version >= 0 {
		s.views.put(&viewEntry{key: viewKey{viewPage, id}, version: version, title: title, body: body})
	}
	s.renderDrawn(w, r, title, "stories", body)
}

// drawStory draws the story page's content, without the page around it.
func (s *Server) drawStory(r *http.Request, id string) (title string, body []byte, err error) {
	v, articles, err := s.storyViewArticles(r.Context(), id)
	if err != nil {
		return "", nil, err
	}
	d := storyData{StoryView: v, Timeline: timeline(v.Items)}
	for _, r := range v.Remarks {
		d.Single = d.Single || len(r.Outlets) == 1
	}
	d.OutletOf = map[string]string{}
	for _, a := range v.Items {
		d.OutletOf[a.ID] = a.Outlet
	}
	for _, u := range v.Unique {
		if n := len(d.UniqueGroups); n == 0 || d.UniqueGroups[n-1].Article != u.Article {
			d.UniqueGroups = append(d.UniqueGroups, uniqueGroup{Article: u.Article, Outlets: u.Outlets})
		}
		g := &d.UniqueGroups[len(d.UniqueGroups)-1]
		g.Items = append(g.Items, u)
	}
	if len(v.Remarks) == 0 {
		// Without remarks the quotes are shown one by one.
		for _, a := range articles {
			for _, q := range a.Quotes {
				d.Quotes = append(d.Quotes, storyQuote{Article: a.ID, Outlet: a.Outlet, QuoteView: QuoteView{Text: q.Text, Speaker: q.Speaker, Role: q.Role}})
			}
		}
	}
	// The content alone: the page around it carries the visitor's own
	// sign-in state and form token, which are never kept.
	var buf bytes.Buffer
	if err := s.pages["story"].ExecuteTemplate(&buf, "content", page{Title: v.Title, Nav: "stories", Data: d}); err != nil {
		return "", nil, fmt.Errorf("draw story %s: %w", ident.ShortID(id), err)
	}
	return v.Title, buf.Bytes(), nil
}

type articleData struct {
	ArticleView
	Link       string
	Paragraphs []Paragraph
	Marked     bool
}

func (s *Server) articlePage(w http.ResponseWriter, r *http.Request) {
	id, ok := s.resolvePage(w, r, store.KindArticle, "/articles/")
	if !ok {
		return
	}
	v, err := s.articleView(r.Context(), id)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	mark := span{-1, -1}
	if hl := r.URL.Query().Get("hl"); hl != "" {
		a, b, _ := strings.Cut(hl, "-")
		start, err1 := strconv.Atoi(a)
		end, err2 := strconv.Atoi(b)
		if err1 == nil && err2 == nil {
			mark = span{start, end}
		}
	}
	d := articleData{ArticleView: v, Link: safeURL(v.URL), Paragraphs: paragraphs(v.Text, v.Quotes, mark)}
	for _, p := range d.Paragraphs {
		for _, seg := range p {
			d.Marked = d.Marked || seg.Mark
		}
	}
	s.render(w, r, http.StatusOK, "article", v.Title, "stories", d)
}

type signinData struct {
	Next, Problem string
}

// safeNext keeps a sign-in's return address on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (s *Server) signinForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "signin", "Sign in", "signin", signinData{Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) signin(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.PostFormValue("next"))
	tok := strings.TrimSpace(r.PostFormValue("token"))
	if tok == "" || !hmacEqual(tok, s.cfg.Token) {
		s.render(w, r, http.StatusUnauthorized, "signin", "Sign in", "signin", signinData{Next: next, Problem: "That is not this server's token."})
		return
	}
	s.setSession(w)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) signout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func hmacEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
