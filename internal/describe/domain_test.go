package describe

import (
	"testing"

	"github.com/dossiernews/dossier/internal/clean"
)

func TestSiteDomain(t *testing.T) {
	tests := []struct{ host, want, label string }{
		{"www.valleypost.example", "valleypost.example", "valleypost"},
		{"news.valleypost.co.uk", "valleypost.co.uk", "valleypost"},
		{"VALLEYPOST.CO.UK.", "valleypost.co.uk", "valleypost"},
		{"ferrynews.go.com", "ferrynews.go.com", "ferrynews"},
		{"www.go.com", "go.com", "go"},
		{"valleypost.blogspot.com", "valleypost.blogspot.com", "valleypost"},
		{"valleypost.blogspot.de", "valleypost.blogspot.de", "valleypost"},
		{"www.valleypost.wordpress.com", "valleypost.wordpress.com", "valleypost"},
		{"quill.substack.com", "quill.substack.com", "quill"},
		{"medium.com", "medium.com", "medium"},
		{"harbourcode.github.io", "harbourcode.github.io", "harbourcode"},
		{"archive.valleypost.com.au", "valleypost.com.au", "valleypost"},
		{"www.xn--bcherpost-q9a.de", "bücherpost.de", "xn--bcherpost-q9a"},
		{"192.0.2.7", "192.0.2.7", "192"},
		{"co.uk", "co.uk", "co"},
		{"", "", ""},
	}
	for _, tc := range tests {
		if got := siteDomain(tc.host); got != tc.want {
			t.Errorf("siteDomain(%q) = %q, want %q", tc.host, got, tc.want)
		}
		if got := ownerLabel(tc.host); got != tc.label {
			t.Errorf("ownerLabel(%q) = %q, want %q", tc.host, got, tc.label)
		}
	}
}

func TestHostOf(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://www.ValleyPost.example/a/1", "www.valleypost.example"},
		{"https://web.archive.org/web/20190101000000/https://www.valleypost.example/a/1", "www.valleypost.example"},
		{"http://web.archive.org/web/2019/http:/valleypost.example/a", "valleypost.example"},
		{"https://web.archive.org/web/20190101000000/valleypost.example/a", "valleypost.example"},
		{"https://web.archive.org/about", "web.archive.org"},
		{"not a url", ""},
		{"%zz", ""},
	}
	for _, tc := range tests {
		if got := hostOf(tc.url); got != tc.want {
			t.Errorf("hostOf(%q) = %q, want %q", tc.url, got, tc.want)
		}
	}
}

func TestNamesPlatform(t *testing.T) {
	for s, want := range map[string]bool{
		"Blogger": true, "WordPress.com": true, "Medium": true, "Tumblr": true, "blogspot": true,
		"Valley Post": false, "Medium Rare Weekly": false, "": false,
	} {
		if got := namesPlatform(s); got != want {
			t.Errorf("namesPlatform(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestPhraseDomainOutlet(t *testing.T) {
	tests := []struct {
		name    string
		lines   []string // furniture, in page order
		domains []string
		people  []string
		want    string
	}{
		{name: "phrase after an article", lines: []string{"Share your view with the Valley Post"},
			domains: []string{"valleypost.example"}, want: "Valley Post"},
		{name: "prompt split over two lines", lines: []string{"Sign in to reply", "and join readers of the Kestrel Bay Evening Star"},
			domains: []string{"kestrelstar.example"}, want: ""},
		{name: "label inside a longer name", lines: []string{"Write to the Upper Fernbrook Daily"},
			domains: []string{"fernbrook.example"}, want: "Upper Fernbrook Daily"},
		{name: "name on the second line of a prompt", lines: []string{"Sign in to reply", "and join readers of the Kestrel Star", "Share"},
			domains: []string{"www.kestrelstar.example"}, want: "Kestrel Star"},
		{name: "spelling over words, case aside", lines: []string{"tips for the MARSH LANTERN"},
			domains: []string{"marshlantern.co.uk"}, want: "MARSH LANTERN"},
		{name: "sentence-initial verb dropped", lines: []string{"Follow Valley Post on social media"},
			domains: []string{"valleypost.example"}, want: "Valley Post"},
		{name: "a whole line is a masthead", lines: []string{"Upper Valley Post"},
			domains: []string{"valleypost.example"}, want: "Upper Valley Post"},
		{name: "menu run is no name", lines: []string{"Home News Sport Valley Post Weather Jobs"},
			domains: []string{"valleypost.example"}, want: ""},
		{name: "the author's own domain", lines: []string{"More from Ines Berg"},
			domains: []string{"inesberg.example"}, people: []string{"Ines Berg"}, want: ""},
		{name: "short label must be the whole phrase", lines: []string{"Visit the Pax Harbour Review"},
			domains: []string{"pax.example"}, want: ""},
		{name: "short label spelt exactly", lines: []string{"a service of the PHR"},
			domains: []string{"phr.example"}, want: "PHR"},
		{name: "no phrase holds the label", lines: []string{"Share your view with the Valley Post"},
			domains: []string{"harbourgazette.example"}, want: ""},
		{name: "a domain in capitals is no name", lines: []string{"ADVERTISE ON VALLEYPOST.EXAMPLE"},
			domains: []string{"valleypost.example"}, want: ""},
		{name: "no domain", lines: []string{"Share your view with the Valley Post"}, want: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var p clean.Page
			for i, l := range tc.lines {
				p.Removed = append(p.Removed, clean.Line{Text: l, Kind: clean.Furniture, Index: 20 + i})
			}
			if got := phraseDomainOutlet(p, tc.domains, tc.people); got != tc.want {
				t.Errorf("phraseDomainOutlet(%q, %q) = %q, want %q", tc.lines, tc.domains, got, tc.want)
			}
		})
	}
}

func TestMastheadOutlet(t *testing.T) {
	tests := []struct{ line, want string }{
		{"Valley Post — news from the hills since 1952", "Valley Post"},
		{"The Fernbrook Courier, est. 1888", "The Fernbrook Courier"},
		{"Kestrel Bay Radio | on air since 2004", "Kestrel Bay Radio"},
		{"Ines Berg — writing since 2011", ""},
		{"Valley Weekly — serving the hills for years", ""},
		{"Our history — since 1952", ""},
		{"Opening hours — Monday to Friday since 2019 changes", ""},
		{"Photo: Valley Post archive since 1952", ""},
	}
	for _, tc := range tests {
		p := clean.Page{Removed: []clean.Line{{Text: tc.line, Kind: clean.Furniture, Index: 40}}}
		if got := mastheadOutlet(p); got != tc.want {
			t.Errorf("mastheadOutlet(%q) = %q, want %q", tc.line, got, tc.want)
		}
	}
}

// TestOutletEvidence checks the order of a page's own names for itself and
// that a platform's name or a social-media handle gives way to the domain.
func TestOutletEvidence(t *testing.T) {
	const canon = `<link rel="canonical" href="https://news.valleypost.co.uk/a/1">`
	tests := []struct {
		name, head string
		meta       clean.Meta
		want       string
	}{
		{name: "og:site_name first", head: canon + `<meta name="application-name" content="VP App"><meta property="og:site_name" content="Valley Post">
<script type="application/ld+json">{"@type":"NewsArticle","publisher":{"@type":"Organization","name":"Valley Post Group"}}</script>`, want: "Valley Post"},
		{name: "JSON-LD publisher list before application-name", head: canon + `<meta name="application-name" content="VP App">
<script type="application/ld+json">{"@type":"NewsArticle","publisher":[{"@type":"Organization","name":"Valley Post"}]}</script>`, want: "Valley Post"},
		{name: "application-name last", head: canon + `<meta name="application-name" content="Valley Post">`, want: "Valley Post"},
		{name: "platform name gives the domain", head: `<link rel="canonical" href="https://quill.wordpress.com/a"><meta property="og:site_name" content="WordPress.com">`,
			want: "quill.wordpress.com"},
		{name: "handle gives the domain", head: canon + `<meta name="twitter:site" content="@valley_post">`, meta: clean.Meta{Sitename: "Valley_post"},
			want: "valleypost.co.uk"},
		{name: "site name spelt like the handle", head: canon + `<meta property="og:site_name" content="Valley Post"><meta name="twitter:site" content="@valleypost">`,
			meta: clean.Meta{Sitename: "Valley Post"}, want: "Valley Post"},
		{name: "a name in the handle's place", head: canon + `<meta name="twitter:site" content="Valley Post">`, meta: clean.Meta{Sitename: "Valley Post"},
			want: "Valley Post"},
		{name: "only a handle and no address", head: `<meta name="twitter:site" content="@valley_post">`, meta: clean.Meta{Sitename: "Valley_post"},
			want: "Valley_post"},
		{name: "publisher given as an address", head: `<meta name="publisher" content="https://www.valleypost.co.uk">`, meta: clean.Meta{Sitename: "https://www.valleypost.co.uk"},
			want: "valleypost.co.uk"},
		{name: "joined publishers: the first the page writes", head: canon + `<p>Fernbrook Media</p><p>Valley Post</p>`,
			meta: clean.Meta{Sitename: "Valley Post; Fernbrook Media"}, want: "Fernbrook Media"},
		{name: "joined publishers the page does not write", head: canon, meta: clean.Meta{Sitename: "Valley Post; Fernbrook Media"},
			want: "Fernbrook Media"},
		{name: "nothing but the domain", head: canon, want: "valleypost.co.uk"},
		{name: "archived copy: the original domain", head: `<link rel="canonical" href="https://web.archive.org/web/2019/https://www.valleypost.co.uk/a">`,
			want: "valleypost.co.uk"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page := []byte("<html><head>" + tc.head + "</head><body><p>" + body + "</p></body></html>")
			m := Describe(Input{HTML: page, Page: clean.Page{Title: "Ferry terminal delayed", Paragraphs: []string{body}, Meta: tc.meta}})
			if m.Outlet != tc.want {
				t.Errorf("outlet %q, want %q", m.Outlet, tc.want)
			}
		})
	}
}

func FuzzNamePhrases(f *testing.F) {
	for _, s := range []string{"Share your view with the Valley Post", "Home | News — Valley Post, est. 1952",
		"«Valley Post» (desk@valleypost.example)", "\xff the Of", ". . Valley"} {
		f.Add(s, "valleypost.example")
	}
	f.Fuzz(func(t *testing.T, line, host string) {
		for _, ph := range namePhrases(line) {
			if len(ph.words) == 0 {
				t.Fatalf("namePhrases(%q) gave an empty phrase", line)
			}
		}
		p := clean.Page{Removed: []clean.Line{{Text: line, Kind: clean.Furniture, Index: 1}}}
		if o := phraseDomainOutlet(p, []string{host}, nil); len(o) > len(line) {
			t.Fatalf("phraseDomainOutlet(%q) = %q, longer than the line", line, o)
		}
		_ = mastheadOutlet(p)
	})
}

func FuzzHostOf(f *testing.F) {
	for _, s := range []string{"https://web.archive.org/web/2019/http:/valleypost.example/a", "https://news.valleypost.co.uk/",
		"http://[::1]/", "https://web.archive.org/web/1/https://web.archive.org/web/2/x.example"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		h := hostOf(raw)
		if d := siteDomain(h); h != "" && d == "" {
			t.Fatalf("siteDomain(%q) is empty", h)
		}
	})
}
