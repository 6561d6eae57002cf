package evaldata

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// SeedExpectations are the values ../shared/seeds/EXPECTED.md states of
// the two seed articles, read from it at run time so that no seed's names
// live in the project.
type SeedExpectations struct {
	WireOutlet, DailyOutlet, DailyAuthor string
	// ContactDomain is the domain of the daily's byline e-mail.
	ContactDomain string
	// WirePublished is the wire copy's publication time, RFC 3339.
	WirePublished string
	// Speaker is the official quoted throughout.
	Speaker string
	// OrgFragment is the fragment an organisation said, OrgNames its
	// names (full, then short).
	OrgFragment string
	OrgNames    []string
	// Hosts are the two organisations the outlets name as the host, each
	// as its full name and its acronym.
	Hosts [][2]string
}

// ReadSeedExpectations parses EXPECTED.md, or skips the test when the
// seeds are absent. A layout it cannot read fails the test.
func ReadSeedExpectations(tb testing.TB) SeedExpectations {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(Dir(tb, "seeds"), "EXPECTED.md"))
	if err != nil {
		tb.Fatal(err)
	}
	sections := strings.Split(string(b), "\n## ")
	section := func(prefix string) string {
		for _, s := range sections {
			if strings.HasPrefix(s, prefix) {
				return s
			}
		}
		tb.Fatalf("EXPECTED.md: no section %q", prefix)
		return ""
	}
	cell := func(sec, aspect string) string {
		m := regexp.MustCompile(`(?m)^\| ` + regexp.QuoteMeta(aspect) + ` \| (.+?) \|$`).FindStringSubmatch(sec)
		if m == nil {
			tb.Fatalf("EXPECTED.md: no %q row", aspect)
		}
		return m[1]
	}
	// A value is what comes before a parenthesised remark.
	head := func(v string) string {
		if i := strings.Index(v, " ("); i > 0 {
			v = v[:i]
		}
		return strings.TrimSpace(v)
	}
	find := func(re, text string) []string {
		m := regexp.MustCompile(re).FindStringSubmatch(text)
		if m == nil {
			tb.Fatalf("EXPECTED.md: nothing matches %s", re)
		}
		return m
	}
	var e SeedExpectations
	wire, daily := section("000"), section("001")
	e.WireOutlet = head(cell(wire, "outlet"))
	pub := find(`(\d{4}-\d\d-\d\d) (\d\d:\d\d) .*UTC([+-]\d\d:\d\d)`, cell(wire, "published"))
	e.WirePublished = pub[1] + "T" + pub[2] + ":00" + pub[3]
	e.DailyOutlet = head(cell(daily, "outlet"))
	e.ContactDomain = find(`e-mail is at ([a-z0-9.-]+)`, cell(daily, "outlet"))[1]
	e.DailyAuthor = head(cell(daily, "authors"))
	together := section("Together")
	e.Speaker = find(`one\s+person:\s+([^,]+),`, together)[1]
	org := find("`“([^”]+)”` is \\*\\*the (\\w+)'s\\*\\* \\(([^)]+)\\)", together)
	e.OrgFragment, e.OrgNames = org[1], []string{org[3], org[2]}
	for _, m := range regexp.MustCompile(`hosted by the ([^(]+?) \(([A-Z]+)\)`).FindAllStringSubmatch(section("Together"), -1) {
		e.Hosts = append(e.Hosts, [2]string{strings.Join(strings.Fields(m[1]), " "), m[2]})
	}
	if len(e.Hosts) != 2 {
		tb.Fatalf("EXPECTED.md: %d hosts found, want 2", len(e.Hosts))
	}
	return e
}
