// Package fetch gets web pages politely and safely: timeouts, a size limit,
// capped redirects, gzip and brotli, robots.txt, per-host rate and
// concurrency limits, retries with backoff, conditional requests, and a
// guard, checked at connect time, against non-public addresses.
package fetch

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/andybalholm/brotli"
	"golang.org/x/time/rate"
)

// Config sets how a Fetcher behaves; DefaultConfig gives the defaults.
type Config struct {
	// UserAgent is sent with every request; its first word is the token
	// robots.txt groups are matched against.
	UserAgent string
	// Timeout bounds one attempt, connection to last byte.
	Timeout time.Duration
	// MaxBytes bounds a body after decompression.
	MaxBytes int64
	// MaxRedirects caps the redirects followed for one request.
	MaxRedirects int
	// Rate is the requests per second to one host, Burst how many may go
	// at once after a pause; PerHost caps the requests in flight to a host.
	Rate    float64
	Burst   int
	PerHost int
	// Retries is how many times a 429, a 5xx or a network error is tried
	// again; Backoff is the first wait, doubled each time, and
	// MaxRetryWait the longest wait (a Retry-After beyond it gives up).
	Retries      int
	Backoff      time.Duration
	MaxRetryWait time.Duration
	// AllowPrivate lets requests reach loopback, private and other
	// non-public addresses (tests, intranets).
	AllowPrivate bool
	// IgnoreRobots skips robots.txt.
	IgnoreRobots bool
	Logger       *slog.Logger
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		UserAgent:    "Dossier/1.0 (+https://github.com/dossiernews/dossier; news story engine)",
		Timeout:      30 * time.Second,
		MaxBytes:     16 << 20,
		MaxRedirects: 5,
		Rate:         1,
		Burst:        2,
		PerHost:      2,
		Retries:      3,
		Backoff:      time.Second,
		MaxRetryWait: 2 * time.Minute,
	}
}

// Errors a fetch may end with, to be told apart with errors.Is.
var (
	ErrForbiddenAddress = errors.New("address is not public (use --allow-private to allow it)")
	ErrScheme           = errors.New("only http and https URLs are fetched")
	ErrRobots           = errors.New("disallowed by robots.txt")
	ErrTooLarge         = errors.New("body over the size limit")
	ErrRedirects        = errors.New("too many redirects")
)

// StatusError is an HTTP status that is neither success nor not-modified.
type StatusError struct {
	Code int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code))
}

// Request is one page to get. ETag and LastModified, when set, make the
// request conditional.
type Request struct {
	URL          string
	ETag         string
	LastModified string
	Accept       string
}

// Response is what came back.
type Response struct {
	URL      string // as requested
	FinalURL string // after redirects
	Status   int
	Header   http.Header
	Body     []byte // decoded; nil when NotModified
	// NotModified is true when a conditional request found nothing new.
	NotModified bool
}

// ETag and LastModified are the validators for the next conditional request.
func (r *Response) ETag() string         { return r.Header.Get("ETag") }
func (r *Response) LastModified() string { return r.Header.Get("Last-Modified") }

// Fetcher gets pages. Safe for concurrent use.
type Fetcher struct {
	cfg    Config
	client *http.Client
	log    *slog.Logger
	mu     sync.Mutex
	hosts  map[string]*hostState
	// sleep waits between attempts; tests replace it to see the waits.
	sleep func(ctx context.Context, d time.Duration) error
}

type hostState struct {
	limiter *rate.Limiter
	slots   chan struct{}
	robots  *robotsOnce
}

type robotsOnce struct {
	once  sync.Once
	rules *Robots
	err   error
}

// New returns a Fetcher with cfg; zero fields take their defaults.
func New(cfg Config) *Fetcher {
	def := DefaultConfig()
	if cfg.UserAgent == "" {
		cfg.UserAgent = def.UserAgent
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = def.Timeout
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = def.MaxBytes
	}
	if cfg.MaxRedirects < 0 {
		cfg.MaxRedirects = 0
	}
	if cfg.Rate <= 0 {
		cfg.Rate = def.Rate
	}
	if cfg.Burst <= 0 {
		cfg.Burst = 1
	}
	if cfg.PerHost <= 0 {
		cfg.PerHost = 1
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = def.Backoff
	}
	if cfg.MaxRetryWait <= 0 {
		cfg.MaxRetryWait = def.MaxRetryWait
	}
	return newFetcher(cfg, Public)
}

// newFetcher builds a Fetcher whose guard lets through the addresses
// public accepts (tests name a loopback address "public").
func newFetcher(cfg Config, public func(string) bool) *Fetcher {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if !cfg.AllowPrivate {
		// Checked on the address actually dialled, after DNS and on every
		// redirect, so neither can lead the fetcher inside.
		dialer.Control = func(network, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return fmt.Errorf("guard: %w", err)
			}
			if !public(host) {
				return fmt.Errorf("connect to %s: %w", host, ErrForbiddenAddress)
			}
			return nil
		}
	}
	transport := &http.Transport{
		Proxy:                 nil, // a proxy would dial for us, past the guard
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConnsPerHost:   cfg.PerHost,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: cfg.Timeout,
		DisableCompression:    true, // we ask for gzip and br ourselves
	}
	f := &Fetcher{cfg: cfg, log: log, hosts: map[string]*hostState{}, sleep: sleepCtx}
	f.client = &http.Client{
		Transport: transport,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > cfg.MaxRedirects {
				return fmt.Errorf("%w (over %d)", ErrRedirects, cfg.MaxRedirects)
			}
			if err := checkScheme(req.URL); err != nil {
				return err
			}
			if !cfg.IgnoreRobots {
				if err := f.robotsAllow(req.Context(), req.URL); err != nil {
					return err
				}
			}
			return nil
		},
	}
	return f
}

// Close releases idle connections.
func (f *Fetcher) Close() { f.client.CloseIdleConnections() }

func checkScheme(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w: %q", ErrScheme, u.Scheme)
	}
	if u.Host == "" {
		return errors.New("URL has no host")
	}
	return nil
}

func (f *Fetcher) host(u *url.URL) *hostState {
	key := strings.ToLower(u.Scheme + "://" + u.Host)
	f.mu.Lock()
	defer f.mu.Unlock()
	h := f.hosts[key]
	if h == nil {
		h = &hostState{
			limiter: rate.NewLimiter(rate.Limit(f.cfg.Rate), f.cfg.Burst),
			slots:   make(chan struct{}, f.cfg.PerHost),
			robots:  &robotsOnce{},
		}
		f.hosts[key] = h
	}
	return h
}

// Get fetches req.URL, trying again on 429, 5xx and network errors.
func (f *Fetcher) Get(ctx context.Context, req Request) (*Response, error) {
	u, err := url.Parse(strings.TrimSpace(req.URL))
	if err != nil {
		return nil, fmt.Errorf("parse URL: %w", err)
	}
	if err := checkScheme(u); err != nil {
		return nil, err
	}
	if !f.cfg.IgnoreRobots {
		if err := f.robotsAllow(ctx, u); err != nil {
			return nil, err
		}
	}
	var last error
	for attempt := 0; ; attempt++ {
		resp, wait, err := f.attempt(ctx, u, req)
		if err == nil {
			return resp, nil
		}
		last = err
		if wait < 0 || attempt >= f.cfg.Retries || ctx.Err() != nil {
			return nil, last
		}
		if wait == 0 {
			wait = f.cfg.Backoff << attempt
			// Jitter, so that many clients retrying do not come back together.
			wait += time.Duration(rand.Int64N(int64(wait)/2 + 1))
		}
		if wait > f.cfg.MaxRetryWait {
			return nil, fmt.Errorf("%w (asked to wait %s)", last, wait.Round(time.Second))
		}
		f.log.Debug("retrying", "url", u.String(), "err", err, "wait", wait)
		if err := f.sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("%w (%w)", last, err)
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// attempt makes one request. wait is how long to wait before trying again:
// 0 for the default backoff, negative when trying again cannot help.
func (f *Fetcher) attempt(ctx context.Context, u *url.URL, req Request) (_ *Response, wait time.Duration, _ error) {
	h := f.host(u)
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, -1, ctx.Err()
	}
	defer func() { <-h.slots }()
	if err := h.limiter.Wait(ctx); err != nil {
		return nil, -1, fmt.Errorf("rate limit: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, -1, fmt.Errorf("request: %w", err)
	}
	hr.Header.Set("User-Agent", f.cfg.UserAgent)
	hr.Header.Set("Accept-Encoding", "gzip, br")
	accept := req.Accept
	if accept == "" {
		accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	}
	hr.Header.Set("Accept", accept)
	if req.ETag != "" {
		hr.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hr.Header.Set("If-Modified-Since", req.LastModified)
	}
	resp, err := f.client.Do(hr)
	if err != nil {
		return nil, retryable(err), err
	}
	defer resp.Body.Close()
	out := &Response{URL: u.String(), FinalURL: resp.Request.URL.String(), Status: resp.StatusCode, Header: resp.Header}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		return out, 0, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, retryAfter(resp.Header.Get("Retry-After"), time.Now()), &StatusError{resp.StatusCode}
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, -1, &StatusError{resp.StatusCode}
	}
	body, err := f.readBody(resp)
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return nil, -1, err
		}
		return nil, retryable(err), fmt.Errorf("read body: %w", err)
	}
	out.Body = body
	return out, 0, nil
}

// readBody decodes the body and refuses more than MaxBytes of it, counted
// after decompression, so a small bomb cannot fill memory.
func (f *Fetcher) readBody(resp *http.Response) ([]byte, error) {
	var r io.Reader = resp.Body
	switch enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		r = zr
	case "br":
		r = brotli.NewReader(resp.Body)
	default:
		return nil, fmt.Errorf("unsupported content encoding %q", enc)
	}
	body, err := io.ReadAll(io.LimitReader(r, f.cfg.MaxBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > f.cfg.MaxBytes {
		return nil, fmt.Errorf("%w (%d bytes)", ErrTooLarge, f.cfg.MaxBytes)
	}
	return body, nil
}

// retryable says whether a transport error may pass: not when the guard,
// the scheme, robots.txt or the redirect cap refused the request.
func retryable(err error) time.Duration {
	for _, e := range []error{ErrForbiddenAddress, ErrScheme, ErrRobots, ErrRedirects, context.Canceled} {
		if errors.Is(err, e) {
			return -1
		}
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return -1
	}
	return 0
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil {
		if s < 0 {
			return 0
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
