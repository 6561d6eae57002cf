package quote

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/evaldata"
)

// seedBody turns a seed crawl file into clean text the simple way: drop the
// title line, keep lines that read as sentences (long, ending in sentence
// punctuation or a quote mark), each once, as paragraphs.
func seedBody(raw string) string {
	lines := strings.Split(raw, "\n")
	seen := map[string]bool{}
	var paras []string
	for _, l := range lines[1:] {
		l = strings.TrimFunc(l, unicode.IsSpace)
		if len(strings.Fields(l)) < 8 || seen[l] {
			continue
		}
		last := []rune(l)[len([]rune(l))-1]
		if !strings.ContainsRune(".?!\"”)", last) {
			continue
		}
		seen[l] = true
		paras = append(paras, l)
	}
	return strings.Join(paras, "\n\n")
}

func findSeed(t *testing.T, dir, prefix string) (raw, body string, qs []dossier.Quote) {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, prefix+"_*.txt"))
	if err != nil || len(m) != 1 {
		t.Fatalf("seed %s: %v %v", prefix, m, err)
	}
	b, err := os.ReadFile(m[0])
	if err != nil {
		t.Fatalf("read seed: %v", err)
	}
	raw = string(b)
	body = seedBody(raw)
	qs = Find(body)
	for _, q := range qs {
		if body[q.Start:q.End] != q.Text {
			t.Errorf("seed %s: [%d,%d) slices to %q, Text is %q", prefix, q.Start, q.End, body[q.Start:q.End], q.Text)
		}
	}
	return raw, body, qs
}

// seedQuotes derives the quotes a seed body must yield from its structure:
// every pair of double marks in a paragraph (straight and curly mixed, in
// order), text trimmed of spaces and a trailing comma, partial when it opens
// in lower case (a fragment inside the writer's sentence).
func seedQuotes(t *testing.T, body string) []dossier.Quote {
	t.Helper()
	var out []dossier.Quote
	off := 0
	for _, p := range strings.Split(body, "\n\n") {
		open := -1
		for i, r := range p {
			if r != '"' && r != '“' && r != '”' {
				continue
			}
			if open < 0 {
				open = i + utf8.RuneLen(r)
				continue
			}
			s, e := trimRange(p, open, i, true)
			q := dossier.Quote{Text: p[s:e], Start: off + s, End: off + e}
			first, _ := utf8.DecodeRuneInString(q.Text)
			q.Partial = unicode.IsLower(first)
			out = append(out, q)
			open = -1
		}
		if open >= 0 {
			t.Fatalf("seed paragraph with an unpaired mark: %.40q", p)
		}
		off += len(p) + 2
	}
	if len(out) == 0 {
		t.Fatal("seed body holds no quotes")
	}
	return out
}

// headlineSpeaker is the person a seed's headline attributes it to ("…:
// Surname"), named as in the body by the given name before the surname.
func headlineSpeaker(t *testing.T, raw, body string) string {
	t.Helper()
	title, _, _ := strings.Cut(raw, "\n")
	i := strings.LastIndex(title, ": ")
	if i < 0 {
		t.Fatalf("headline %q names no speaker", title)
	}
	surname := strings.TrimSpace(title[i+2:])
	re := regexp.MustCompile(`\b(\p{Lu}\p{Ll}+) ` + regexp.QuoteMeta(surname) + `\b`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("body never gives %q a given name", surname)
	}
	return m[0]
}

// expectedExceptions reads EXPECTED.md's quotes bullet at run time: the
// fragments it names (a back-quoted quotation) and, for those it credits to
// someone else ("is **…** (Full Name)"), that speaker.
func expectedExceptions(t *testing.T, dir string) (fragments []string, other map[string]string, bullet string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "EXPECTED.md"))
	if err != nil {
		t.Fatalf("read EXPECTED.md: %v", err)
	}
	md := string(raw)
	i := strings.Index(md, "**Quotes and speakers.**")
	if i < 0 {
		t.Fatal("EXPECTED.md has no quotes bullet")
	}
	bullet = md[i:]
	if j := strings.Index(bullet, "\n- **"); j >= 0 {
		bullet = bullet[:j]
	}
	other = map[string]string{}
	frag := regexp.MustCompile("`[\"“]([^`\"“”]+)[\"”]`(?: is \\*\\*[^*]+\\*\\* \\(([^)]+)\\))?")
	for _, m := range frag.FindAllStringSubmatch(bullet, -1) {
		k := seedKey(m[1])
		fragments = append(fragments, k)
		if m[2] != "" {
			other[k] = m[2]
		}
	}
	if len(fragments) == 0 || len(other) == 0 {
		t.Fatalf("EXPECTED.md quotes bullet: %d fragments, %d credited elsewhere", len(fragments), len(other))
	}
	return fragments, other, bullet
}

// whoIsWho is EXPECTED.md's bullet naming who each speaker is, their role
// among it.
func whoIsWho(t *testing.T, dir string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "EXPECTED.md"))
	if err != nil {
		t.Fatalf("read EXPECTED.md: %v", err)
	}
	md := string(raw)
	i := strings.Index(md, "**Who is who.**")
	if i < 0 {
		t.Fatal("EXPECTED.md has no who-is-who bullet")
	}
	b := md[i:]
	if j := strings.Index(b, "\n- **"); j >= 0 {
		b = b[:j]
	}
	return strings.Join(strings.Fields(b), " ")
}

func seedKey(s string) string { return strings.TrimRight(strings.ToLower(s), ".,") }

// TestSeeds checks EXPECTED.md's quote expectations: each seed yields
// exactly the quotations its paragraphs mark, with the partial flag, all
// the headline speaker's except the fragments EXPECTED.md credits to others.
func TestSeeds(t *testing.T) {
	dir := evaldata.Dir(t, "seeds")
	fragments, other, bullet := expectedExceptions(t, dir)
	who := whoIsWho(t, dir)
	seen := map[string]bool{}
	for _, prefix := range []string{"000", "001"} {
		t.Run(prefix, func(t *testing.T) {
			raw, body, got := findSeed(t, dir, prefix)
			official := headlineSpeaker(t, raw, body)
			if !strings.Contains(bullet, official) {
				t.Fatalf("headline speaker %q is not the one EXPECTED.md names", official)
			}
			want := seedQuotes(t, body)
			for i := range want {
				want[i].Speaker = official
				if s, ok := other[seedKey(want[i].Text)]; ok {
					want[i].Speaker = s
				}
			}
			if len(got) != len(want) {
				for _, q := range got {
					t.Logf("got %.60q", q.Text)
				}
				t.Fatalf("%d quotes, want %d", len(got), len(want))
			}
			for i, w := range want {
				g := got[i]
				seen[seedKey(g.Text)] = true
				if g.Text != w.Text || g.Start != w.Start || g.Partial != w.Partial || g.Speaker != w.Speaker {
					t.Errorf("quote %d: got {%.50q at %d partial=%v %q (cue %q)}, want {%.50q at %d partial=%v %q}",
						i, g.Text, g.Start, g.Partial, g.Speaker, g.Cue, w.Text, w.Start, w.Partial, w.Speaker)
				}
				// The official's role, as the article gives it, is the one
				// EXPECTED.md states.
				if g.Speaker == official && (g.Role == "" || !strings.Contains(who, g.Role)) {
					t.Errorf("quote %d: role %q, want one EXPECTED.md gives %s", i, g.Role, official)
				}
			}
		})
	}
	for _, f := range fragments {
		if !seen[f] {
			t.Errorf("fragment %q named by EXPECTED.md not found", f)
		}
	}
}
