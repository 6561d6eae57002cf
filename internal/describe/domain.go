package describe

import (
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// platforms are hosts whose subdomains are separate sites (blogs, newsletters,
// a media group's portal) but which the Public Suffix List does not list as
// suffixes: the site is the subdomain, never the platform.
var platforms = setOf("wordpress.com", "blogger.com", "tumblr.com", "substack.com", "medium.com", "typepad.com",
	"livejournal.com", "weebly.com", "over-blog.com", "jimdo.com", "jimdofree.com", "webnode.com", "ghost.io",
	"beehiiv.com", "go.com")

// platformLabels are the platforms' own names, which are no outlet's name.
var platformLabels = func() map[string]bool {
	m := setOf("blogspot", "blogger", "wix", "wixsite", "github", "netlify")
	for p := range platforms {
		if l, _, _ := strings.Cut(p, "."); l != "go" {
			m[l] = true
		}
	}
	return m
}()

// registrable returns the owner's part of a host by the Public Suffix List:
// "news.harbourtimes.co.uk" → "harbourtimes.co.uk", "x.blogspot.com" → "x.blogspot.com". A
// host the list cannot split (an IP, a bare suffix) is returned as given.
func registrable(host string) string {
	host = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
	if host == "" || net.ParseIP(host) != nil {
		return host
	}
	r, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return host
	}
	// Blogspot's country domains left the list; their subdomains are still blogs.
	if l, _, _ := strings.Cut(r, "."); l == "blogspot" {
		return subdomainOf(host, r)
	}
	if platforms[r] {
		return subdomainOf(host, r)
	}
	return r
}

// subdomainOf returns the label just left of reg with reg, "www" aside.
func subdomainOf(host, reg string) string {
	rest := strings.TrimSuffix(strings.TrimSuffix(host, reg), ".")
	if rest == "" {
		return reg
	}
	labels := strings.Split(rest, ".")
	if l := labels[len(labels)-1]; l != "www" && l != "" {
		return l + "." + reg
	}
	return reg
}

// siteDomain is the domain a reader knows a site by, in lower case and in its
// own script: "www.hanbit.example.kr" → "hanbit.example.kr" (shown as the
// domain itself: a capitalised label such as "Harbourtimes" is a made-up name).
func siteDomain(host string) string {
	r := registrable(host)
	if u, err := idna.Display.ToUnicode(r); err == nil {
		return u
	}
	return r
}

// ownerLabel is the name part of a host's registrable domain ("harbourtimes" of
// news.harbourtimes.co.uk, "valleypost" of valleypost.blogspot.com).
func ownerLabel(host string) string {
	l, _, _ := strings.Cut(registrable(host), ".")
	return l
}

// namesPlatform reports whether s is only a hosting platform's name.
func namesPlatform(s string) bool {
	k := squash(s)
	for _, tail := range []string{"com", "net", "org", "io"} {
		if t := strings.TrimSuffix(k, tail); t != k && platformLabels[t] {
			return true
		}
	}
	return platformLabels[k]
}

// hostOf returns a URL's host in lower case. An archived copy
// (web.archive.org/web/<time>/<original>) is the original site's page.
func hostOf(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return ""
	}
	h := strings.Trim(strings.ToLower(u.Hostname()), ".")
	if h == "web.archive.org" || h == "wayback.archive.org" {
		if stamp, orig, ok := strings.Cut(strings.TrimPrefix(u.Path, "/web/"), "/"); ok && stamp != "" && strings.HasPrefix(u.Path, "/web/") {
			// Archived paths may have lost a slash of the scheme ("http:/x").
			for _, s := range []string{"https:/", "http:/"} {
				if strings.HasPrefix(orig, s) && !strings.HasPrefix(orig, s+"/") {
					orig = s + "/" + orig[len(s):]
				}
			}
			if !strings.Contains(orig, "://") {
				orig = "http://" + orig
			}
			if o := hostOf(orig); o != "" {
				return o
			}
		}
	}
	return h
}
