package quote

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/charmap"
)

// exampleBody returns an example source's article text the way the pipeline
// sees it: a .txt file whole, a JSONL line's "text", an HTML page's
// <article> paragraphs.
func exampleBody(t *testing.T, src string) string {
	t.Helper()
	path, line := src, 0
	if i := strings.LastIndex(src, "#"); i >= 0 {
		n, err := strconv.Atoi(src[i+1:])
		if err != nil {
			t.Fatalf("source %q: bad line number: %v", src, err)
		}
		path, line = src[:i], n
	}
	raw, err := os.ReadFile(filepath.Join("..", "..", "examples", filepath.FromSlash(path)))
	if err != nil {
		t.Fatalf("reading example %s: %v", path, err)
	}
	switch {
	case line > 0:
		sc := bufio.NewScanner(bytes.NewReader(raw))
		sc.Buffer(make([]byte, 1<<20), 1<<22)
		for n := 1; sc.Scan(); n++ {
			if n != line {
				continue
			}
			var rec struct {
				Text string `json:"text"`
			}
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
				t.Fatalf("%s: decoding line %d: %v", path, line, err)
			}
			return rec.Text
		}
		t.Fatalf("%s: no line %d", path, line)
	case strings.HasSuffix(path, ".html"):
		if bytes.Contains(bytes.ToLower(raw[:min(len(raw), 1024)]), []byte("windows-1252")) {
			dec, err := charmap.Windows1252.NewDecoder().Bytes(raw)
			if err != nil {
				t.Fatalf("%s: decoding windows-1252: %v", path, err)
			}
			raw = dec
		}
		root, err := html.Parse(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: parsing HTML: %v", path, err)
		}
		var paras []string
		var walk func(n *html.Node, inArticle bool)
		walk = func(n *html.Node, inArticle bool) {
			if n.Type == html.ElementNode && n.Data == "article" {
				inArticle = true
			}
			if inArticle && n.Type == html.ElementNode && n.Data == "p" {
				var b strings.Builder
				var text func(*html.Node)
				text = func(c *html.Node) {
					if c.Type == html.TextNode {
						b.WriteString(c.Data)
					}
					for k := c.FirstChild; k != nil; k = k.NextSibling {
						text(k)
					}
				}
				text(n)
				if s := strings.Join(strings.Fields(b.String()), " "); s != "" {
					paras = append(paras, s)
				}
				return
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c, inArticle)
			}
		}
		walk(root, false)
		return strings.Join(paras, "\n\n")
	}
	return string(raw)
}

// TestExamples checks every expected quote of the bundled example corpus is
// found and given its expected speaker.
func TestExamples(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "examples", "EXPECTED.json"))
	if err != nil {
		t.Fatalf("reading EXPECTED.json: %v", err)
	}
	var exp struct {
		Quotes []struct {
			Source   string `json:"source"`
			Contains string `json:"contains"`
			Speaker  string `json:"speaker"`
		} `json:"quotes"`
	}
	if err := json.Unmarshal(raw, &exp); err != nil {
		t.Fatalf("decoding EXPECTED.json: %v", err)
	}
	if len(exp.Quotes) == 0 {
		t.Fatal("EXPECTED.json lists no quotes")
	}
	found := map[string][]string{} // source -> "text\x00speaker"
	for _, q := range exp.Quotes {
		t.Run(q.Source+"/"+q.Contains, func(t *testing.T) {
			if _, ok := found[q.Source]; !ok {
				for _, g := range Find(exampleBody(t, q.Source)) {
					found[q.Source] = append(found[q.Source], g.Text+"\x00"+g.Speaker)
				}
			}
			var got []string
			for _, g := range found[q.Source] {
				text, speaker, _ := strings.Cut(g, "\x00")
				if strings.Contains(text, q.Contains) {
					got = append(got, speaker)
				}
			}
			if len(got) == 0 {
				t.Fatalf("no quote containing %q", q.Contains)
			}
			for _, s := range got {
				if s != q.Speaker {
					t.Errorf("quote containing %q: speaker %q, want %q", q.Contains, s, q.Speaker)
				}
			}
		})
	}
}
