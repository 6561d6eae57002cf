// Package ident decides what an article and a story are called: IDs derived
// from what identifies a document (its normalised URL when known, else where
// it was read), and the URL normalisation behind them. Every stage and every
// store backend takes identities from here, so that they cannot drift apart.
package ident

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"path"
	"sort"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// Article and story IDs are a kind letter and 16 hex digits. The letters
// differ, and so do the digits: a story's are not its founder's, so neither
// can be mistaken for the other, even by prefix.
const (
	ArticlePrefix = "a"
	StoryPrefix   = "s"
	// Short is how many characters of an ID are printed where a person
	// reads them; any unique prefix resolves.
	Short = 9
)

// ArticleID is the ID of the document identified by key (see URLKey,
// PathKey).
func ArticleID(key string) string { return ArticlePrefix + digest("article\x00"+key) }

// StoryID is the ID of the story founded by the article with this ID.
func StoryID(founder string) string { return StoryPrefix + digest("story\x00"+founder) }

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

// URLKey is the identity key of a document known by its normalised URL.
func URLKey(normalised string) string { return "url:" + normalised }

// PathKey is the identity key of a file known by its absolute path.
func PathKey(abs string) string { return "path:" + abs }

// LineKey is the identity key of a record without a URL: its file and a
// hash of its content, so that inserting or reordering lines changes no ID.
func LineKey(abs string, content []byte) string { return "line:" + abs + "#" + ContentHash(content) }

// KeyPath is the absolute path in a file's or a line's key, else "".
func KeyPath(key string) string {
	if p, ok := strings.CutPrefix(key, "path:"); ok {
		return p
	}
	if p, ok := strings.CutPrefix(key, "line:"); ok {
		if i := strings.LastIndexByte(p, '#'); i >= 0 {
			return p[:i]
		}
	}
	return ""
}

// StdinKey is the identity key of standard input's content.
func StdinKey(content []byte) string { return "stdin:" + ContentHash(content) }

// ContentHash is a short hash of raw bytes.
func ContentHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// ShortID returns the prefix of id printed for people.
func ShortID(id string) string {
	if len(id) <= Short {
		return id
	}
	return id[:Short]
}

// trackingParams are query parameters that say how a reader arrived, not
// which page they read.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "yclid": true,
	"mc_cid": true, "mc_eid": true, "igshid": true, "_ga": true, "_gl": true,
	"ocid": true, "cmpid": true, "smid": true, "ito": true, "ref_src": true,
	"spm": true,
}

// ErrNotWebURL is returned for an address that is not an absolute http(s) URL.
var ErrNotWebURL = errors.New("not an absolute http or https URL")

// NormalizeURL returns the form of raw that identifies a page: scheme and
// host lower-cased, the default port and the fragment dropped, tracking
// parameters (utm_*, fbclid, ...) dropped, other parameters kept and sorted,
// and an empty path made "/".
func NormalizeURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("url %q: %w", raw, err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return "", fmt.Errorf("url %q: %w", raw, ErrNotWebURL)
	}
	host := strings.ToLower(u.Hostname())
	// Every trailing dot: "a.." must give what "a." gives, so that a
	// normalised URL normalises to itself.
	host = strings.TrimRight(host, ".")
	// Brackets only ever enclose an IPv6 address, which Hostname has
	// taken them off; one left over is no host.
	if host == "" || strings.ContainsAny(host, "[]") {
		return "", fmt.Errorf("url %q: %w", raw, ErrNotWebURL)
	}
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host = net.JoinHostPort(strings.Trim(host, "[]"), port)
	}
	u.Host = host
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path = "/"
	}
	u.RawQuery = cleanQuery(u.RawQuery)
	u.ForceQuery = false
	return u.String(), nil
}

func cleanQuery(raw string) string {
	if raw == "" {
		return ""
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		// A query that does not parse is kept as it is: it may still be
		// what tells two pages apart.
		return raw
	}
	for k := range q {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "utm_") || trackingParams[lk] {
			delete(q, k)
		}
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		vs := q[k]
		sort.Strings(vs)
		for _, v := range vs {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k))
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	return b.String()
}

// Canonical returns the normalised URL that identifies a page read at
// pageURL (may be "") that declares canonical (a <link rel=canonical> or
// og:url, may be relative). The declared one is trusted only when it stays
// on the page's site and does not point at a front page: templates that
// stamp every page with the home page's canonical are common. It falls back
// to pageURL; ok is false when neither gives a web URL.
func Canonical(pageURL, canonical string) (string, bool) {
	base, baseErr := NormalizeURL(pageURL)
	canonical = strings.TrimSpace(canonical)
	if canonical != "" {
		resolved := canonical
		if baseErr == nil {
			if b, err := url.Parse(base); err == nil {
				if r, err := b.Parse(canonical); err == nil {
					resolved = r.String()
				}
			}
		}
		if c, err := NormalizeURL(resolved); err == nil && trustCanonical(base, baseErr == nil, c) {
			return c, true
		}
	}
	if baseErr == nil {
		return base, true
	}
	return "", false
}

func trustCanonical(base string, haveBase bool, c string) bool {
	cu, err := url.Parse(c)
	if err != nil {
		return false
	}
	if p := strings.Trim(path.Clean(cu.Path), "/"); p == "" || p == "." || isFrontPath(p) {
		return false
	}
	if !haveBase {
		return true
	}
	bu, err := url.Parse(base)
	if err != nil {
		return false
	}
	return siteOf(bu.Hostname()) == siteOf(cu.Hostname())
}

// isFrontPath says whether a path is a site's front page in another
// spelling ("index.html", "en", "home").
func isFrontPath(p string) bool {
	base := strings.ToLower(path.Base(p))
	if strings.HasPrefix(base, "index.") || strings.HasPrefix(base, "default.") {
		return !strings.Contains(p, "/")
	}
	switch base {
	case "home", "index":
		return !strings.Contains(p, "/")
	}
	// A bare language code: /en, /fr/.
	return len(p) == 2 && !strings.Contains(p, "/")
}

// siteOf is a host's registrable domain (news.example.co.uk and
// www.example.co.uk are one site), or the host itself when it has none.
func siteOf(host string) string {
	host = strings.ToLower(host)
	if site, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return site
	}
	return host
}

// WebLink makes a link found on a page (in a feed, a sitemap) absolute
// against base, which may be nil, keeping only http and https addresses;
// anything else is "".
func WebLink(base *url.URL, link string) string {
	if link == "" {
		return ""
	}
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}
