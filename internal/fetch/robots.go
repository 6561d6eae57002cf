package fetch

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// Robots is the part of a robots.txt (RFC 9309) that applies to one agent.
type Robots struct {
	rules []rule
	// CrawlDelay is the group's Crawl-delay, zero when none: not in the
	// RFC, but widely stated and cheap to honour.
	CrawlDelay time.Duration
}

type rule struct {
	allow   bool
	pattern string
}

// maxRobots bounds what is read of a robots.txt (the RFC asks for at least 500 KiB).
const maxRobots = 512 << 10

// ParseRobots reads a robots.txt for the agent whose product token is
// token: the groups naming it (case-insensitively), else the "*" groups.
func ParseRobots(data []byte, token string) *Robots {
	token = strings.ToLower(token)
	type group struct {
		agents []string
		rules  []rule
		delay  time.Duration
	}
	var groups []*group
	var cur *group
	inAgents := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), maxRobots)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		value = strings.TrimSpace(value)
		switch key {
		case "user-agent":
			if !inAgents || cur == nil {
				cur = &group{}
				groups = append(groups, cur)
			}
			cur.agents = append(cur.agents, strings.ToLower(value))
			inAgents = true
		case "allow", "disallow":
			inAgents = false
			if cur == nil {
				continue
			}
			if value == "" {
				continue // "Disallow:" allows everything
			}
			cur.rules = append(cur.rules, rule{allow: key == "allow", pattern: value})
		case "crawl-delay":
			inAgents = false
			if cur == nil {
				continue
			}
			if s, err := strconv.ParseFloat(value, 64); err == nil && s > 0 && s < 3600 {
				cur.delay = time.Duration(s * float64(time.Second))
			}
		default:
			// Sitemap and others neither end nor start a group's agents.
		}
	}
	r := &Robots{}
	var star []*group
	named := false
	for _, g := range groups {
		for _, a := range g.agents {
			switch {
			case a == "*":
				star = append(star, g)
			case a != "" && a == token:
				named = true
				r.rules = append(r.rules, g.rules...)
				r.CrawlDelay = max(r.CrawlDelay, g.delay)
			}
		}
	}
	if !named {
		for _, g := range star {
			r.rules = append(r.rules, g.rules...)
			r.CrawlDelay = max(r.CrawlDelay, g.delay)
		}
	}
	return r
}

// Allowed reports whether a path (with its query) may be fetched: the
// longest matching rule wins, allow winning a tie; no match allows.
func (r *Robots) Allowed(path string) bool {
	if r == nil {
		return true
	}
	if path == "" {
		path = "/"
	}
	best, allow := -1, true
	for _, ru := range r.rules {
		if !match(ru.pattern, path) {
			continue
		}
		n := len(ru.pattern)
		if n > best || n == best && ru.allow {
			best, allow = n, ru.allow
		}
	}
	return allow
}

// match matches a robots pattern ("*" any run, a final "$" the end) against
// the start of path.
func match(pattern, path string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	if anchored {
		pattern = pattern[:len(pattern)-1]
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(path, parts[0]) {
		return false
	}
	rest := path[len(parts[0]):]
	for i, p := range parts[1:] {
		last := i == len(parts)-2
		if last && anchored {
			return strings.HasSuffix(rest, p)
		}
		j := strings.Index(rest, p)
		if j < 0 {
			return false
		}
		rest = rest[j+len(p):]
	}
	return !anchored || rest == ""
}

// token is the product token robots.txt groups name: the User-Agent's
// first word without its version.
func (f *Fetcher) token() string {
	t, _, _ := strings.Cut(f.cfg.UserAgent, " ")
	t, _, _ = strings.Cut(t, "/")
	return t
}

// robotsAllow fetches a host's robots.txt once and checks u against it.
func (f *Fetcher) robotsAllow(ctx context.Context, u *url.URL) error {
	h := f.host(u)
	h.robots.once.Do(func() {
		h.robots.rules, h.robots.err = f.fetchRobots(ctx, u)
		if d := h.robots.rules.delay(); d > 0 && rate.Every(d) < h.limiter.Limit() {
			h.limiter.SetLimit(rate.Every(d))
		}
	})
	if h.robots.err != nil {
		if errors.Is(h.robots.err, ErrForbiddenAddress) {
			// The guard's refusal, not the site's: say so plainly.
			return fmt.Errorf("%s: %w", u.Hostname(), ErrForbiddenAddress)
		}
		// A host that cannot be reached at all (DNS, refused, TLS) is
		// that, not a site's robots.txt saying no.
		var ue *url.Error
		if errors.As(h.robots.err, &ue) {
			return fmt.Errorf("%s unreachable: %w", u.Host, ue.Err)
		}
		return fmt.Errorf("%w: %w", ErrRobots, h.robots.err)
	}
	if !h.robots.rules.Allowed(u.EscapedPath() + queryOf(u)) {
		return fmt.Errorf("%w: %s", ErrRobots, u.EscapedPath())
	}
	return nil
}

func (r *Robots) delay() time.Duration {
	if r == nil {
		return 0
	}
	return r.CrawlDelay
}

func queryOf(u *url.URL) string {
	if u.RawQuery == "" {
		return ""
	}
	return "?" + u.RawQuery
}

// fetchRobots gets robots.txt (RFC 9309 §2.3.1): a 4xx allows everything;
// a 5xx or no answer disallows everything, for this run.
func (f *Fetcher) fetchRobots(ctx context.Context, u *url.URL) (*Robots, error) {
	ru := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}
	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ru.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept-Encoding", "gzip, br")
	// robots.txt's own redirects are followed by the client (capped and guarded).
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("robots.txt unreachable: %w", err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode >= 400 && resp.StatusCode < 500:
		return &Robots{}, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, fmt.Errorf("robots.txt: HTTP %d", resp.StatusCode)
	}
	body, err := f.readBody(resp)
	if err != nil && !errors.Is(err, ErrTooLarge) {
		return nil, fmt.Errorf("robots.txt: %w", err)
	}
	return ParseRobots(body, f.token()), nil
}
