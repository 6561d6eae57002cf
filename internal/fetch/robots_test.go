package fetch

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestRobots(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "robots.txt"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		token, path string
		want        bool
	}{
		{"Dossier", "/", true},
		{"Dossier", "/drafts/one", false},
		{"Dossier", "/drafts/public/one", true}, // longer allow wins
		{"Dossier", "/search?q=tide", false},
		{"Dossier", "/print/story.pdf", false}, // "$" anchors
		{"Dossier", "/print/story.pdf?x=1", true},
		{"dossier", "/drafts/one", false}, // tokens match case-insensitively
		{"Otherbot", "/drafts/one", true},
		{"Otherbot", "/archive/2019", false},
		{"Otherbot", "/search?q=tide", true},
	}
	for _, tt := range tests {
		r := ParseRobots(data, tt.token)
		if got := r.Allowed(tt.path); got != tt.want {
			t.Errorf("%s %s: allowed = %v, want %v", tt.token, tt.path, got, tt.want)
		}
	}
	if d := ParseRobots(data, "Dossier").CrawlDelay; d != 2*time.Second {
		t.Errorf("crawl delay = %v, want 2s", d)
	}
}

func TestRobotsMatch(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"/a", "/a", true},
		{"/a", "/ab", true},
		{"/a", "/b", false},
		{"/a$", "/a", true},
		{"/a$", "/ab", false},
		{"/*.gif$", "/x/y.gif", true},
		{"/*.gif$", "/x/y.gif?z", false},
		{"/a*b", "/a-x-b-y", true},
		{"/a*b", "/a-x", false},
		{"*", "/anything", true},
	}
	for _, tt := range tests {
		if got := match(tt.pattern, tt.path); got != tt.want {
			t.Errorf("match(%q, %q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}

func FuzzParseRobots(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "robots.txt"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data, "/drafts/x")
	f.Add([]byte("User-agent: *\nDisallow: /*$\n"), "/")
	f.Fuzz(func(t *testing.T, data []byte, path string) {
		r := ParseRobots(data, "Dossier")
		_ = r.Allowed(path)
		// Everything is allowed when nothing is disallowed.
		if (&Robots{}).Allowed(path) != true {
			t.Fatal("empty rules disallow")
		}
	})
}
