// Package web is dossier serve: server-rendered pages, a JSON API under
// /api/v1, sign-in with the store's token, and Prometheus metrics.
// Everything an article carries is untrusted and reaches a page only
// through html/template.
package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/dossiernews/dossier/internal/cluster"
	"github.com/dossiernews/dossier/internal/dedup"
	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/store"
)

//go:embed assets
var assets embed.FS

// Config sets up a Server.
type Config struct {
	Store store.Store
	// DBPath is the store's file, for the store size metric ("" for none).
	DBPath string
	// Token authorises writes, and reads off loopback; it must not be empty.
	Token string
	// Loopback is true when the server listens on loopback only.
	Loopback bool
	// Open lets writes through without the token on loopback.
	Open bool
	// Public lets reads through without the token off loopback.
	Public bool
	// ReadOnly refuses every write (for a server on a read replica): the
	// upload page and the API's posts answer 403, and no ingest runs.
	ReadOnly bool
	// Ingest configures the ingests of uploads and API posts; zero
	// settings mean ingest.DefaultConfig's, but for Workers: one fewer
	// than the CPUs (at least one), so that a core stays for readers.
	Ingest ingest.Config
	// Run, when set, runs each ingest in place of an Ingester in this
	// process (dossier serve gives ChildIngest), and Ingest is then its
	// business. In this process, an ingest lets reads in flight go first
	// at each store call, which is all a goroutine can do.
	Run    Runner
	Logger *slog.Logger
	// MaxBody bounds a JSON body; MaxUpload bounds an upload form. Zero
	// means the defaults.
	MaxBody, MaxUpload int64
	// TempDir holds uploads while they are ingested ("" for the system's).
	TempDir string
	// CacheBytes bounds the cache of drawn story pages and story API
	// answers, kept while their story's version holds; 0 means
	// DefaultCacheBytes, less than 0 no cache. A store without story
	// versions (store.StoryVersioner) is never cached.
	CacheBytes int64
}

// Default body limits.
const (
	DefaultMaxBody   = 32 << 20
	DefaultMaxUpload = 256 << 20
)

// Server serves one store.
type Server struct {
	cfg     Config
	store   store.Store
	log     *slog.Logger
	key     []byte // signs session cookies and CSRF tokens
	pages   map[string]*template.Template
	mux     *http.ServeMux
	metrics *metrics
	// writing serialises this process's ingests; the store's writer lock
	// orders them with other processes'.
	writing sync.Mutex
	// queue holds the API bodies waiting for the writer (ingestRecords).
	queueMu sync.Mutex
	queue   []*recordsJob
	// views caches story pages and answers; nil for none.
	views *viewCache
	// reading counts the reads in flight, which ingests let go first.
	reading readGate
}

// New returns a Server; Handler serves it.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("web: no store")
	}
	if cfg.Token == "" {
		return nil, errors.New("web: no token")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = DefaultMaxUpload
	}
	if cfg.Ingest.Dedup == (dedup.Config{}) && cfg.Ingest.Cluster == (cluster.Config{}) {
		d := ingest.DefaultConfig()
		cfg.Ingest.Dedup, cfg.Ingest.Cluster = d.Dedup, d.Cluster
	}
	if err := cfg.Ingest.Validate(); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if cfg.Ingest.Workers == 0 {
		cfg.Ingest.Workers = max(1, runtime.GOMAXPROCS(0)-1)
	}
	if cfg.Ingest.Who == "" {
		cfg.Ingest.Who = "dossier serve"
	}
	mac := hmac.New(sha256.New, []byte("dossier web key"))
	mac.Write([]byte(cfg.Token))
	s := &Server{cfg: cfg, store: cfg.Store, log: cfg.Logger, key: mac.Sum(nil)}
	var err error
	if s.pages, err = parseTemplates(); err != nil {
		return nil, err
	}
	switch {
	case cfg.CacheBytes == 0:
		s.views = newViewCache(DefaultCacheBytes)
	case cfg.CacheBytes > 0:
		s.views = newViewCache(cfg.CacheBytes)
	}
	s.metrics = newMetrics(cfg.DBPath)
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	m := http.NewServeMux()
	static, _ := fs.Sub(assets, "assets/static")
	m.Handle("GET /assets/", http.StripPrefix("/assets/", cacheStatic(http.FileServerFS(static))))
	m.HandleFunc("GET /healthz", s.healthz)
	m.Handle("GET /metrics", s.read(promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{})))

	m.Handle("GET /{$}", s.readPage(s.storiesPage))
	m.Handle("GET /stories/{id}", s.readPage(s.storyPage))
	m.Handle("GET /articles/{id}", s.readPage(s.articlePage))
	m.Handle("GET /search", s.readPage(s.searchPage))
	m.Handle("GET /ingest", s.writePage(s.ingestForm))
	m.Handle("POST /ingest", s.writePage(s.csrf(s.ingestUpload)))
	m.HandleFunc("GET /signin", s.signinForm)
	m.HandleFunc("POST /signin", s.csrf(s.signin))
	m.HandleFunc("POST /signout", s.csrf(s.signout))

	m.HandleFunc("GET /api/v1/openapi.json", s.openapi)
	m.Handle("GET /api/v1/stories", s.read(http.HandlerFunc(s.apiStories)))
	m.Handle("GET /api/v1/stories/{id}", s.read(http.HandlerFunc(s.apiStory)))
	m.Handle("GET /api/v1/articles/{id}", s.read(http.HandlerFunc(s.apiArticle)))
	m.Handle("POST /api/v1/articles", s.write(http.HandlerFunc(s.apiPost)))
	m.Handle("GET /api/v1/search", s.read(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.apiSearch(w, r, false) })))
	m.Handle("GET /api/v1/quotes", s.read(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.apiSearch(w, r, true) })))
	for _, path := range []string{"/api/v1/stories", "/api/v1/stories/{id}", "/api/v1/articles/{id}", "/api/v1/articles",
		"/api/v1/search", "/api/v1/quotes", "/api/v1/openapi.json"} {
		m.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			apiError(w, http.StatusMethodNotAllowed, "method_not_allowed", r.Method+" is not served at "+r.URL.Path)
		})
	}
	m.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		apiError(w, http.StatusNotFound, "not_found", "no such API route")
	})
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, r, http.StatusNotFound, "Page not found", "There is no page at this address.")
	})
	s.mux = m
}

// Handler serves every route with the security headers, metrics and the
// access log.
func (s *Server) Handler() http.Handler {
	return s.observe(secure(s.mux))
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := s.store.StoriesPage(ctx, store.StoryQuery{Limit: 1}); err != nil {
		s.log.Error("health check", "err", err)
		apiError(w, http.StatusServiceUnavailable, "unavailable", "the store does not answer")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// secure sets the headers every response carries.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

// Authorisation.

// bearer reports whether r carries the token as a bearer header.
func (s *Server) bearer(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(s.cfg.Token)) == 1
}

func (s *Server) mayRead(authed bool) bool  { return authed || s.cfg.Loopback || s.cfg.Public }
func (s *Server) mayWrite(authed bool) bool { return authed || (s.cfg.Loopback && s.cfg.Open) }

// read and write guard API routes: the token comes as a bearer header.
func (s *Server) read(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.mayRead(s.bearer(r) || s.signedIn(r)) {
			unauthorised(w)
			return
		}
		defer s.reading.enter()()
		next.ServeHTTP(w, r)
	})
}

func (s *Server) write(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.ReadOnly {
			apiError(w, http.StatusForbidden, "read_only", "this server is read-only: it takes no articles")
			return
		}
		if !s.mayWrite(s.bearer(r)) {
			unauthorised(w)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func unauthorised(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="dossier"`)
	apiError(w, http.StatusUnauthorized, "unauthorized", "this needs the server's token as an Authorization: Bearer header")
}

// readPage and writePage guard pages: the token comes as a session cookie,
// and a visitor without one is sent to sign in.
func (s *Server) readPage(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.mayRead(s.signedIn(r)) {
			s.toSignin(w, r)
			return
		}
		defer s.reading.enter()()
		next(w, r)
	})
}

func (s *Server) writePage(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.ReadOnly {
			s.errorPage(w, r, http.StatusForbidden, "This server is read-only", "Articles are added on another server of this store, or with dossier ingest.")
			return
		}
		if !s.mayWrite(s.signedIn(r)) {
			s.toSignin(w, r)
			return
		}
		next(w, r)
	})
}

func (s *Server) toSignin(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		s.errorPage(w, r, http.StatusUnauthorized, "Sign in first", "Sign in with the server's token, then send the form again.")
		return
	}
	http.Redirect(w, r, "/signin?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
}

// Sessions and CSRF tokens are signed with a key made from the token, so
// the server keeps no session table and a new token ends every session.

const (
	sessionCookie = "dossier_session"
	csrfCookie    = "dossier_csrf"
	sessionLife   = 12 * time.Hour
)

func (s *Server) sign(parts ...string) string {
	mac := hmac.New(sha256.New, s.key)
	for _, p := range parts {
		mac.Write([]byte(p))
		mac.Write([]byte{0})
	}
	return fmt.Sprintf("%x", mac.Sum(nil))
}

func (s *Server) signedIn(r *http.Request) bool {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return false
	}
	exp, sig, ok := strings.Cut(c.Value, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(s.sign("session", exp))) {
		return false
	}
	t, err := time.Parse("20060102150405", exp)
	return err == nil && time.Now().Before(t)
}

func (s *Server) setSession(w http.ResponseWriter) {
	exp := time.Now().Add(sessionLife).UTC().Format("20060102150405")
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: exp + "." + s.sign("session", exp), Path: "/",
		HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: int(sessionLife / time.Second)})
}

// csrfToken returns the token a form must send back: bound to a random
// cookie of the browser's, which is set when missing.
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(csrfCookie)
	v := ""
	if err == nil && len(c.Value) == 32 {
		v = c.Value
	} else {
		v = randomHex(16)
		http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: v, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
	}
	return s.sign("csrf", v)
}

// csrf refuses a form whose token does not match the browser's cookie.
// A multipart form's token is read from the query string, so that the
// upload is checked before its body is read.
func (s *Server) csrf(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(csrfCookie)
		given := r.URL.Query().Get("csrf")
		if given == "" && !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
			r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
			given = r.PostFormValue("csrf")
		}
		if err != nil || given == "" || !hmac.Equal([]byte(given), []byte(s.sign("csrf", c.Value))) {
			s.errorPage(w, r, http.StatusForbidden, "This form has expired", "Open the page again and send the form from there.")
			return
		}
		next(w, r)
	}
}

// storeSize is the store's bytes on disk, WAL included.
func storeSize(path string) float64 {
	var n int64
	for _, suffix := range []string{"", "-wal"} {
		if info, err := os.Stat(path + suffix); err == nil {
			n += info.Size()
		}
	}
	return float64(n)
}

type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	ingested *prometheus.CounterVec
	cached   *prometheus.CounterVec
}

func newMetrics(dbPath string) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "dossier_http_requests_total",
		Help: "HTTP requests by route, method and status."}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "dossier_http_request_duration_seconds",
		Help: "HTTP request latency by route.", Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10}}, []string{"route"})
	m.ingested = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "dossier_articles_ingested_total",
		Help: "Documents ingested through the server, by what became of them."}, []string{"status"})
	m.cached = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "dossier_story_cache_total",
		Help: "Story pages and API answers served from the cache (hit) or drawn (miss)."}, []string{"result"})
	m.reg.MustRegister(m.requests, m.latency, m.ingested, m.cached,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if dbPath != "" {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "dossier_store_size_bytes",
			Help: "The store's size on disk, write-ahead log included."}, func() float64 { return storeSize(dbPath) }))
	}
	return m
}

// recorder keeps the status and size of a response.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// observe counts, times and logs every request by its route pattern, so
// that IDs never become metric labels.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		route := r.Pattern
		if route == "" || route == "/" || route == "/api/" {
			route = "other"
		}
		took := time.Since(start)
		s.metrics.requests.WithLabelValues(route, r.Method, fmt.Sprint(rec.status)).Inc()
		s.metrics.latency.WithLabelValues(route).Observe(took.Seconds())
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.String("route", route), slog.Int("status", rec.status), slog.Int64("bytes", rec.bytes),
			slog.Duration("took", took), slog.String("remote", r.RemoteAddr))
	})
}
