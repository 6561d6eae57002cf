package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// testConfig is fast and, explicitly, lets loopback through.
func testConfig() Config {
	c := DefaultConfig()
	c.AllowPrivate = true
	c.Rate = 1000
	c.Burst = 100
	c.PerHost = 4
	c.Backoff = time.Millisecond
	c.Timeout = 5 * time.Second
	return c
}

// recordSleeps makes f record its waits instead of sleeping.
func recordSleeps(f *Fetcher) *[]time.Duration {
	var waits []time.Duration
	f.sleep = func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		return ctx.Err()
	}
	return &waits
}

func TestGet(t *testing.T) {
	page := "<html><head><title>Harbour notes</title></head><body>ferry timetable</body></html>"
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n\nUser-agent: otherbot\nDisallow: /\n")
	})
	mux.HandleFunc("/plain", func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("User-Agent"); !strings.HasPrefix(got, "Dossier/") {
			http.Error(w, "no user agent", http.StatusBadRequest)
			return
		}
		fmt.Fprint(w, page)
	})
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		fmt.Fprint(zw, page)
		zw.Close()
	})
	mux.HandleFunc("/br", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "br")
		bw := brotli.NewWriter(w)
		fmt.Fprint(bw, page)
		bw.Close()
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write(bytes.Repeat([]byte("a"), 2<<20)) // a small bomb
		zw.Close()
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/plain", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/toftp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://example.invalid/file", http.StatusFound)
	})
	mux.HandleFunc("/private/page", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, page) })
	mux.HandleFunc("/toprivate", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/private/page", http.StatusFound)
	})
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/etag", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v7"`)
		if r.Header.Get("If-None-Match") == `"v7"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		fmt.Fprint(w, page)
	})
	mux.HandleFunc("/lastmod", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Last-Modified", "Mon, 02 Mar 2026 10:00:00 GMT")
		if r.Header.Get("If-Modified-Since") == "Mon, 02 Mar 2026 10:00:00 GMT" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		fmt.Fprint(w, page)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	cfg := testConfig()
	cfg.MaxBytes = 1 << 20
	cfg.MaxRedirects = 3
	f := New(cfg)
	defer f.Close()
	tests := []struct {
		name         string
		req          Request
		wantBody     string
		wantFinal    string
		notModified  bool
		wantErr      error
		wantStatusIs int
	}{
		{name: "plain", req: Request{URL: srv.URL + "/plain"}, wantBody: page, wantFinal: srv.URL + "/plain"},
		{name: "gzip", req: Request{URL: srv.URL + "/gzip"}, wantBody: page},
		{name: "brotli", req: Request{URL: srv.URL + "/br"}, wantBody: page},
		{name: "size limit after decompression", req: Request{URL: srv.URL + "/big"}, wantErr: ErrTooLarge},
		{name: "redirect recorded", req: Request{URL: srv.URL + "/moved"}, wantBody: page, wantFinal: srv.URL + "/plain"},
		{name: "redirects capped", req: Request{URL: srv.URL + "/loop"}, wantErr: ErrRedirects},
		{name: "redirect to another scheme", req: Request{URL: srv.URL + "/toftp"}, wantErr: ErrScheme},
		{name: "robots disallow", req: Request{URL: srv.URL + "/private/page"}, wantErr: ErrRobots},
		{name: "robots on a redirect", req: Request{URL: srv.URL + "/toprivate"}, wantErr: ErrRobots},
		{name: "not found", req: Request{URL: srv.URL + "/gone"}, wantStatusIs: 404},
		{name: "file scheme", req: Request{URL: "file:///etc/hostname"}, wantErr: ErrScheme},
		{name: "ftp scheme", req: Request{URL: "ftp://example.invalid/"}, wantErr: ErrScheme},
		{name: "etag unchanged", req: Request{URL: srv.URL + "/etag", ETag: `"v7"`}, notModified: true},
		{name: "etag changed", req: Request{URL: srv.URL + "/etag", ETag: `"v6"`}, wantBody: page},
		{name: "last-modified unchanged", req: Request{URL: srv.URL + "/lastmod", LastModified: "Mon, 02 Mar 2026 10:00:00 GMT"}, notModified: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := f.Get(context.Background(), tt.req)
			if tt.wantErr != nil || tt.wantStatusIs != 0 {
				var se *StatusError
				switch {
				case err == nil:
					t.Fatalf("got no error, want %v", tt.wantErr)
				case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
					t.Fatalf("got %v, want %v", err, tt.wantErr)
				case tt.wantStatusIs != 0 && (!errors.As(err, &se) || se.Code != tt.wantStatusIs):
					t.Fatalf("got %v, want HTTP %d", err, tt.wantStatusIs)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if resp.NotModified != tt.notModified {
				t.Fatalf("NotModified = %v, want %v", resp.NotModified, tt.notModified)
			}
			if string(resp.Body) != tt.wantBody {
				t.Errorf("body = %q, want %q", resp.Body, tt.wantBody)
			}
			if tt.wantFinal != "" && resp.FinalURL != tt.wantFinal {
				t.Errorf("final URL = %q, want %q", resp.FinalURL, tt.wantFinal)
			}
		})
	}
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name       string
		statuses   []int
		retryAfter string
		maxWait    time.Duration
		wantErr    bool
		wantCalls  int32
		wantWaits  []time.Duration // exact waits; nil to check only their count
		wantNWaits int
	}{
		{name: "503 then success", statuses: []int{503, 503, 200}, wantCalls: 3, wantNWaits: 2},
		{name: "429 honours Retry-After", statuses: []int{429, 200}, retryAfter: "7", maxWait: time.Minute, wantCalls: 2, wantWaits: []time.Duration{7 * time.Second}},
		{name: "Retry-After beyond the limit gives up", statuses: []int{429, 200}, retryAfter: "600", maxWait: time.Minute, wantErr: true, wantCalls: 1},
		{name: "404 is not retried", statuses: []int{404, 200}, wantErr: true, wantCalls: 1},
		{name: "retries run out", statuses: []int{500, 500, 500, 500, 500}, wantErr: true, wantCalls: 4, wantNWaits: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/robots.txt" {
					http.NotFound(w, r)
					return
				}
				n := int(calls.Add(1)) - 1
				code := tt.statuses[min(n, len(tt.statuses)-1)]
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(code)
				fmt.Fprint(w, "body")
			}))
			defer srv.Close()
			cfg := testConfig()
			cfg.Retries = 3
			if tt.maxWait > 0 {
				cfg.MaxRetryWait = tt.maxWait
			}
			f := New(cfg)
			defer f.Close()
			waits := recordSleeps(f)
			_, err := f.Get(context.Background(), Request{URL: srv.URL + "/x"})
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if got := calls.Load(); got != tt.wantCalls {
				t.Errorf("calls = %d, want %d", got, tt.wantCalls)
			}
			if tt.wantWaits != nil {
				if fmt.Sprint(*waits) != fmt.Sprint(tt.wantWaits) {
					t.Errorf("waits = %v, want %v", *waits, tt.wantWaits)
				}
			} else if len(*waits) != tt.wantNWaits {
				t.Errorf("waits = %v, want %d of them", *waits, tt.wantNWaits)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"12", 12 * time.Second},
		{"-3", 0},
		{"Mon, 02 Mar 2026 10:00:30 GMT", 30 * time.Second},
		{"Mon, 02 Mar 2026 09:00:00 GMT", 0},
		{"soon", 0},
	}
	for _, tt := range tests {
		if got := retryAfter(tt.in, now); got != tt.want {
			t.Errorf("retryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestPerHostConcurrency(t *testing.T) {
	var inFlight, most atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond) // long enough for the others to pile up
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.PerHost = 2
	f := New(cfg)
	defer f.Close()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.Get(context.Background(), Request{URL: fmt.Sprintf("%s/p%d", srv.URL, i)}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := most.Load(); got != 2 {
		t.Errorf("most requests in flight = %d, want 2", got)
	}
}

// TestGuard checks that, with the guard on, loopback, private and
// link-local targets are refused at connect time, after DNS and after a
// redirect from an address the guard lets through.
func TestGuard(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/to-loopback":
			http.Redirect(w, r, strings.Replace(srvURL(r), "127.0.0.1", "127.0.0.2", 1)+"/page", http.StatusFound)
		case "/to-metadata":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		case "/to-private":
			http.Redirect(w, r, "http://10.1.2.3/admin", http.StatusFound)
		case "/to-ipv6-loopback":
			http.Redirect(w, r, "http://[::1]:9/", http.StatusFound)
		default:
			fmt.Fprint(w, "inside")
		}
	}))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]

	cfg := testConfig()
	cfg.AllowPrivate = false
	cfg.Retries = 0
	strict := New(cfg)
	defer strict.Close()
	// Only the test server's own address passes, standing for a public host.
	lenient := newFetcher(cfg, func(h string) bool { return h == "127.0.0.1" })
	defer lenient.Close()

	tests := []struct {
		name string
		f    *Fetcher
		url  string
	}{
		{"loopback", strict, srv.URL + "/page"},
		{"a name resolving to loopback", strict, "http://localhost:" + port + "/page"},
		{"private", strict, "http://10.1.2.3/"},
		{"private 192.168", strict, "http://192.168.0.1/"},
		{"link-local", strict, "http://169.254.169.254/"},
		{"ipv6 loopback", strict, "http://[::1]:" + port + "/"},
		{"ipv4-mapped loopback", strict, "http://[::ffff:127.0.0.1]:" + port + "/"},
		{"unspecified", strict, "http://0.0.0.0:" + port + "/"},
		{"redirect to loopback", lenient, srv.URL + "/to-loopback"},
		{"redirect to link-local", lenient, srv.URL + "/to-metadata"},
		{"redirect to private", lenient, srv.URL + "/to-private"},
		{"redirect to ipv6 loopback", lenient, srv.URL + "/to-ipv6-loopback"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_, err := tt.f.Get(ctx, Request{URL: tt.url})
			if !errors.Is(err, ErrForbiddenAddress) {
				t.Fatalf("got %v, want %v", err, ErrForbiddenAddress)
			}
		})
	}
	// The lenient fetcher does reach its "public" server: the refusals
	// above are the guard's, not a broken test server.
	resp, err := lenient.Get(context.Background(), Request{URL: srv.URL + "/page"})
	if err != nil || string(resp.Body) != "inside" {
		t.Fatalf("lenient fetch = %v, %v; want the page", resp, err)
	}
}

func srvURL(r *http.Request) string { return "http://" + r.Host }

func TestPublic(t *testing.T) {
	tests := []struct {
		host string
		want bool
	}{
		{"93.184.215.14", true},
		{"2a00:1450:4001:82a::200e", true},
		{"127.0.0.1", false},
		{"127.9.9.9", false},
		{"10.0.0.1", false},
		{"172.16.5.4", false},
		{"192.168.1.1", false},
		{"169.254.169.254", false},
		{"100.64.0.1", false},
		{"0.0.0.0", false},
		{"255.255.255.255", false},
		{"224.0.0.1", false},
		{"::1", false},
		{"::", false},
		{"fe80::1", false},
		{"fd00::1", false},
		{"::ffff:10.0.0.1", false},
		{"64:ff9b::a00:1", false}, // NAT64 of 10.0.0.1
		{"64:ff9b::5db8:d70e", true},
		{"2001:db8::1", false},
		{"example.org", false},
	}
	for _, tt := range tests {
		if got := Public(tt.host); got != tt.want {
			t.Errorf("Public(%q) = %v, want %v", tt.host, got, tt.want)
		}
	}
}

// TestUnreachable: a host that refuses connections is reported as
// unreachable, not as disallowed by its robots.txt.
func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close() // nothing listens there now
	cfg := testConfig()
	cfg.Retries = 0
	f := New(cfg)
	defer f.Close()
	_, err := f.Get(context.Background(), Request{URL: addr + "/page"})
	if err == nil || errors.Is(err, ErrRobots) || !strings.Contains(err.Error(), "unreachable") {
		t.Fatalf("got %v, want the host unreachable", err)
	}
}
