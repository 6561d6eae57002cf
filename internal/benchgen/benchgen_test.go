package benchgen

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func generate(t testing.TB, cfg Config) (corpus, truth []byte, st Stats) {
	t.Helper()
	var c, tr bytes.Buffer
	st, err := Generate(context.Background(), cfg, &c, &tr)
	if err != nil {
		t.Fatal(err)
	}
	return c.Bytes(), tr.Bytes(), st
}

func TestDeterministic(t *testing.T) {
	c1, t1, _ := generate(t, Config{N: 400, Seed: 3})
	c2, t2, _ := generate(t, Config{N: 400, Seed: 3})
	if !bytes.Equal(c1, c2) || !bytes.Equal(t1, t2) {
		t.Error("one seed gave two corpora")
	}
	c3, _, _ := generate(t, Config{N: 400, Seed: 4})
	if bytes.Equal(c1, c3) {
		t.Error("two seeds gave one corpus")
	}
	// A shorter corpus is the start of a longer one.
	c4, _, _ := generate(t, Config{N: 100, Seed: 3})
	if !bytes.HasPrefix(c1, c4) {
		t.Error("the first 100 articles depend on N")
	}
}

// TestTruth checks every line against its truth and the corpus's shape:
// what the bench's scores rest on.
func TestTruth(t *testing.T) {
	const n = 3000
	corpus, truth, st := generate(t, Config{N: n, Seed: 1})
	var truths []Truth
	if err := ReadTruth(bytes.NewReader(truth), func(tr Truth) error {
		truths = append(truths, tr)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(truths) != n || st.Articles != n {
		t.Fatalf("%d truth lines, %d articles counted; want %d", len(truths), st.Articles, n)
	}
	storyOf := map[string]string{}  // URL → story
	copyOf := map[string]bool{}     // URL is a copy
	size := map[string]int{}        // story → articles
	first := map[string]time.Time{} // story → first dated article
	last := map[string]time.Time{}  // story → last
	topics := map[string]map[string]bool{}
	var copies, undated int
	var prev time.Time
	sc := bufio.NewScanner(bytes.NewReader(corpus))
	sc.Buffer(nil, 1<<20)
	for i := 0; sc.Scan(); i++ {
		var rec Record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		tr := truths[i]
		if rec.URL != tr.URL || rec.Text == "" || rec.Outlet == "" {
			t.Fatalf("line %d: url %q (truth %q), text %d bytes, outlet %q", i+1, rec.URL, tr.URL, len(rec.Text), rec.Outlet)
		}
		if _, dup := storyOf[rec.URL]; dup {
			t.Fatalf("line %d: URL %s twice", i+1, rec.URL)
		}
		if tr.CopyOf != "" {
			copies++
			if s, ok := storyOf[tr.CopyOf]; !ok || s != tr.Story || copyOf[tr.CopyOf] {
				t.Errorf("line %d copies %s, which is not an earlier independent report of story %s", i+1, tr.CopyOf, tr.Story)
			}
		}
		storyOf[rec.URL], copyOf[rec.URL] = tr.Story, tr.CopyOf != ""
		size[tr.Story]++
		if topics[tr.Topic] == nil {
			topics[tr.Topic] = map[string]bool{}
		}
		topics[tr.Topic][tr.Story] = true
		if rec.Published == nil {
			undated++
			continue
		}
		at, err := parseTime(*rec.Published)
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if at.Before(prev) {
			t.Errorf("line %d published %v, before the line above (%v)", i+1, at, prev)
		}
		prev = at
		if _, ok := first[tr.Story]; !ok {
			first[tr.Story] = at
		}
		last[tr.Story] = at
	}
	if copies != st.Copies || undated != st.Undated || len(size) != st.Stories {
		t.Errorf("counted %d copies, %d undated, %d stories; Stats says %+v", copies, undated, len(size), st)
	}
	// The shape the bench promises: many singletons and a heavy tail,
	// stories over hours and over weeks, topics shared by many stories,
	// a share of copies and of undated articles.
	var singles, big, long, short int
	for s, k := range size {
		switch {
		case k == 1:
			singles++
		case k >= 20:
			big++
		}
		if d := last[s].Sub(first[s]); d > 7*24*time.Hour {
			long++
		} else if k > 1 && d > 0 && d < 6*time.Hour {
			short++
		}
	}
	crowded := 0
	for _, ss := range topics {
		if len(ss) >= 10 {
			crowded++
		}
	}
	if singles < len(size)/3 || big == 0 || long == 0 || short == 0 || crowded < 10 {
		t.Errorf("singletons %d of %d stories, 20+ articles %d, over a week %d, within 6 hours %d, topics of 10+ stories %d",
			singles, len(size), big, long, short, crowded)
	}
	if copies < n/10 || copies > n/2 || undated < n/20 || undated > n/5 {
		t.Errorf("%d copies and %d undated of %d", copies, undated, n)
	}
	if !bytes.Contains(corpus, []byte(`said`)) || !bytes.Contains(corpus, []byte(`\"`)) {
		t.Error("no quotes in the corpus")
	}

	rec, tr := Extra(Config{N: n, Seed: 1})
	if _, in := storyOf[rec.URL]; in || rec.Text == "" || rec.Published == nil || tr.Story == "" {
		t.Errorf("extra article %+v is in the corpus or incomplete", rec)
	}
}

func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, time.RFC1123Z} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("unparsed time " + s)
}

func TestGenerateErrors(t *testing.T) {
	if _, err := Generate(context.Background(), Config{N: -1}, io.Discard, io.Discard); err == nil {
		t.Error("N -1: no error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	st, err := Generate(ctx, Config{N: 5000}, io.Discard, io.Discard)
	if !errors.Is(err, context.Canceled) || st.Articles >= 5000 {
		t.Errorf("cancelled: %+v, %v; want an early stop with context.Canceled", st, err)
	}
	if _, err := Generate(context.Background(), Config{N: 10}, failing{}, io.Discard); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("a failing writer: %v", err)
	}
}

type failing struct{}

func (failing) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func BenchmarkGenerate(b *testing.B) {
	const n = 1000
	for b.Loop() {
		if _, err := Generate(context.Background(), Config{N: n, Seed: 1}, io.Discard, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "articles/s")
}
