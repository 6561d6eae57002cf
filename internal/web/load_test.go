package web

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dossiernews/dossier/internal/benchgen"
	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/query"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store"
	"github.com/dossiernews/dossier/internal/store/sqlite"
)

// TestLoad is the load test: DOSSIER_LOAD_N generated articles (dossier
// bench's corpus) in a store, kept at DOSSIER_LOAD_DB when given so that a
// second run skips the ingest, then 50 clients (DOSSIER_LOAD_CLIENTS) on loopback for
// DOSSIER_LOAD_SECONDS (default 30): 60% story pages, 30% search pages of
// one to three words drawn from the corpus's vocabulary, 10% API ingests
// of small batches. It fails on any error or lost article and logs p50/p99
// latency per kind, requests per second and memory, beside the same
// pages asked one at a time before the load (the handlers alone).
//
// The batches posted are fresh articles of the same generator, as news
// arriving; DOSSIER_LOAD_POSTS=notices posts one templated notice over
// and over instead, each a near-copy of every one before it (the
// heaviest case for dedup and clustering, and the posts of earlier runs);
// DOSSIER_LOAD_POSTS=none asks pages only, to tell what posts cost them.
func TestLoad(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("DOSSIER_LOAD_N"))
	if n <= 0 || testing.Short() {
		t.Skip("set DOSSIER_LOAD_N (e.g. 100000) to run the load test")
	}
	seconds, clients := 30, 50
	if c, err := strconv.Atoi(os.Getenv("DOSSIER_LOAD_CLIENTS")); err == nil && c > 0 {
		clients = c
	}
	if s, err := strconv.Atoi(os.Getenv("DOSSIER_LOAD_SECONDS")); err == nil && s > 0 {
		seconds = s
	}
	ctx := context.Background()
	db := os.Getenv("DOSSIER_LOAD_DB")
	if db == "" {
		db = filepath.Join(t.TempDir(), "load.db")
	}
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if pg, err := st.StoriesPage(ctx, store.StoryQuery{Limit: 1}); err != nil {
		t.Fatal(err)
	} else if len(pg.Stories) == 0 {
		corpus := filepath.Join(t.TempDir(), "corpus.jsonl")
		f, err := os.Create(corpus)
		if err != nil {
			t.Fatal(err)
		}
		w := bufio.NewWriter(f)
		if _, err := benchgen.Generate(ctx, benchgen.Config{N: n, Seed: 1}, w, io.Discard); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		f.Close()
		start := time.Now()
		files, _ := source.List([]string{corpus})
		in, err := ingest.New(ctx, st, ingest.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		sum, err := in.Run(ctx, files, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := in.Close(); err != nil {
			t.Fatal(err)
		}
		t.Logf("ingested %d articles in %v", sum.New, time.Since(start).Round(time.Second))
	}
	notices := os.Getenv("DOSSIER_LOAD_POSTS") == "notices"
	noPosts := os.Getenv("DOSSIER_LOAD_POSTS") == "none"
	var fresh []benchgen.Record
	if !notices {
		// Enough fresh articles for every post of the run, from a seed of
		// their own, dated after the corpus.
		var buf strings.Builder
		cfg := benchgen.Config{N: 200 * seconds, Seed: uint64(time.Now().UnixNano()), Start: time.Date(2026, 1, 5, 6, 0, 0, 0, time.UTC)}
		if _, err := benchgen.Generate(ctx, cfg, &buf, io.Discard); err != nil {
			t.Fatal(err)
		}
		for line := range strings.Lines(buf.String()) {
			var r benchgen.Record
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatal(err)
			}
			fresh = append(fresh, r)
		}
	}
	// The server ingests as dossier serve does, in a niced child process
	// of the dossier binary (built here); DOSSIER_LOAD_INGEST=inprocess
	// ingests in the server's own process, as a server without the binary.
	var runner Runner
	var child *ChildIngester
	if os.Getenv("DOSSIER_LOAD_INGEST") != "inprocess" {
		exe := filepath.Join(t.TempDir(), "dossier")
		if out, err := exec.Command("go", "build", "-o", exe, "../../cmd/dossier").CombinedOutput(); err != nil {
			t.Fatalf("build dossier: %v\n%s", err, out)
		}
		child = &ChildIngester{Exe: exe, Args: []string{"serve", "--ingester"}, Env: []string{"DOSSIER_DB=" + db}}
		defer child.Close()
		runner = child.Run
	}
	srv, err := New(Config{Store: st, DBPath: db, Token: testToken, Loopback: true, TempDir: t.TempDir(), Run: runner})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()

	// The pages asked for: stories from the list; searches of the words
	// of those stories' articles.
	var stories, articles, vocab []string
	q := store.StoryQuery{Limit: store.MaxLimit}
	for len(stories) < 5000 {
		pg, err := st.StoriesPage(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range pg.Stories {
			stories = append(stories, s.ID)
		}
		if pg.Next == "" {
			break
		}
		q.Cursor = pg.Next
	}
	for _, id := range stories[:min(len(stories), 500)] {
		s, err := st.Story(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		articles = append(articles, s.Articles...)
	}
	seenWord := map[string]bool{}
	for _, id := range articles[:min(len(articles), 500)] {
		a, err := st.Article(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range query.Tokens(a.Title + " " + a.Text) {
			if len(w) >= 3 && !seenWord[w] {
				seenWord[w] = true
				vocab = append(vocab, w)
			}
		}
	}
	if len(vocab) == 0 {
		t.Fatal("no words in the corpus to search")
	}

	// The baseline: the same pages one at a time before the load, on a
	// server of the same store without the cache (which would otherwise
	// be warmed for the load).
	alone := map[string][]time.Duration{}
	{
		bare, err := New(Config{Store: st, DBPath: db, Token: testToken, Loopback: true, TempDir: t.TempDir(), CacheBytes: -1})
		if err != nil {
			t.Fatal(err)
		}
		bs := httptest.NewServer(bare.Handler())
		rng := rand.New(rand.NewPCG(99, 7))
		for i := range 300 {
			kind, path := "story", "/stories/"+stories[rng.IntN(len(stories))]
			if i%3 == 2 {
				words := make([]string, 1+rng.IntN(3))
				for i := range words {
					words[i] = vocab[rng.IntN(len(vocab))]
				}
				kind, path = "search", "/search?q="+url.QueryEscape(strings.Join(words, " "))
			}
			start := time.Now()
			resp, err := http.Get(bs.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("GET %s: %d", path, resp.StatusCode)
			}
			alone[kind] = append(alone[kind], time.Since(start))
		}
		bs.Close()
	}

	type sample struct {
		kind string
		took time.Duration
	}
	var (
		mu      sync.Mutex
		samples []sample
		failed  []string
		posted  []string
		seq     int
		peak    uint64
	)
	run := time.Now().UnixNano() // the posts' URLs are new to a kept store
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	stopPeak := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			select {
			case <-stopPeak:
				return
			case <-time.After(250 * time.Millisecond):
				runtime.ReadMemStats(&ms)
				mu.Lock()
				peak = max(peak, ms.Sys)
				mu.Unlock()
			}
		}
	}()
	cpuBefore := cpuTimes()
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(c), 7))
			for time.Now().Before(deadline) {
				var req *http.Request
				var kind string
				var urls []string
				r := rng.IntN(100)
				if noPosts {
					r = rng.IntN(90)
				}
				switch {
				case r < 60:
					kind = "story"
					req, _ = http.NewRequest("GET", hs.URL+"/stories/"+stories[rng.IntN(len(stories))], nil)
				case r < 90:
					kind = "search"
					words := make([]string, 1+rng.IntN(3))
					for i := range words {
						words[i] = vocab[rng.IntN(len(vocab))]
					}
					req, _ = http.NewRequest("GET", hs.URL+"/search?q="+url.QueryEscape(strings.Join(words, " ")), nil)
				default:
					kind = "ingest"
					mu.Lock()
					seq++
					batch := seq
					mu.Unlock()
					var body strings.Builder
					for i := range 3 {
						u := fmt.Sprintf("https://loadtest.example/%d/%d/%d", run, batch, i)
						urls = append(urls, u)
						if !notices {
							// A URL of this run's: new to a kept store.
							r := fresh[(batch*3+i)%len(fresh)]
							r.URL = u
							b, _ := json.Marshal(r)
							body.Write(append(b, '\n'))
							continue
						}
						fmt.Fprintf(&body, `{"url":%q,"outlet":"Load Test Gazette","published":"2024-05-01T10:00:00Z","text":"Notice %d-%d\n\nThe %d-%d notice of the reading room: the lamps on shelf %d will be replaced on day %d."}`+"\n",
							u, batch, i, batch, i, batch*7+i, batch%28+1)
					}
					req, _ = http.NewRequest("POST", hs.URL+"/api/v1/articles", strings.NewReader(body.String()))
					req.Header.Set("Content-Type", "application/x-ndjson")
					req.Header.Set("Authorization", "Bearer "+testToken)
				}
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					mu.Lock()
					failed = append(failed, err.Error())
					mu.Unlock()
					continue
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				took := time.Since(start)
				mu.Lock()
				samples = append(samples, sample{kind, took})
				if resp.StatusCode != 200 {
					failed = append(failed, fmt.Sprintf("%s %s: %d %.200s", req.Method, req.URL.Path, resp.StatusCode, b))
				} else if kind == "ingest" {
					var pr PostResult
					if err := json.Unmarshal(b, &pr); err != nil || len(pr.Results) != len(urls) {
						failed = append(failed, fmt.Sprintf("ingest answer: %.200s", b))
					}
					for _, r := range pr.Results {
						if r.Status != StatusNew {
							failed = append(failed, fmt.Sprintf("ingest: %+v", r))
						}
						posted = append(posted, r.ID)
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(stopPeak)
	if runner != nil {
		child.Close() // its CPU counts once it has exited
	}
	cpuAfter := cpuTimes()
	if len(failed) > 0 {
		t.Errorf("%d failures, the first: %s", len(failed), failed[0])
	}
	for _, id := range posted {
		if _, err := st.Article(ctx, id); err != nil {
			t.Errorf("posted article %s lost: %v", id, err)
		}
	}
	by := map[string][]time.Duration{}
	for _, s := range samples {
		by[s.kind] = append(by[s.kind], s.took)
	}
	t.Logf("%d articles, %d stories; %d clients for %ds: %d requests, %.0f/s; %d articles posted, none lost; peak memory (Go runtime Sys) %d MiB",
		n, len(stories), clients, seconds, len(samples), float64(len(samples))/float64(seconds), len(posted), peak>>20)
	t.Logf("CPU: %.1f s in this process (server and clients), %.1f s in the child ingester (peak RSS %d MiB); %.1f ms of ingest CPU per article posted",
		(cpuAfter.self - cpuBefore.self).Seconds(), (cpuAfter.children - cpuBefore.children).Seconds(), cpuAfter.childPeak>>20,
		float64((cpuAfter.children-cpuBefore.children).Milliseconds())/float64(max(1, len(posted))))
	pct := func(d []time.Duration, q float64) time.Duration {
		return d[min(len(d)-1, int(q*float64(len(d))))].Round(10 * time.Microsecond)
	}
	for _, kind := range []string{"story", "search", "ingest"} {
		d := by[kind]
		slices.Sort(d)
		if len(d) == 0 {
			continue
		}
		line := fmt.Sprintf("%-8s %6d requests  p50 %8v  p99 %8v  max %8v", kind, len(d), pct(d, 0.50), pct(d, 0.99), d[len(d)-1].Round(time.Millisecond))
		if a := alone[kind]; len(a) > 0 {
			slices.Sort(a)
			line += fmt.Sprintf("   alone, uncached: p50 %8v  p99 %8v", pct(a, 0.50), pct(a, 0.99))
		}
		t.Log(line)
	}
	resp, err := http.Get(hs.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	mb, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	hit, miss := metricValue(string(mb), `dossier_story_cache_total{result="hit"}`), metricValue(string(mb), `dossier_story_cache_total{result="miss"}`)
	t.Logf("story cache: %.0f hits, %.0f misses", hit, miss)
	for line := range strings.Lines(string(mb)) {
		if strings.HasPrefix(line, "dossier_http_request_duration_seconds_bucket") && (strings.Contains(line, "stories/{id}") || strings.Contains(line, "search")) {
			t.Log(strings.TrimSpace(line))
		}
	}
}

// metricValue is the value of one series in a Prometheus text page, 0
// when absent.
func metricValue(page, series string) float64 {
	for line := range strings.Lines(page) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), series+" "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
	}
	return 0
}

type cpuUse struct {
	self, children time.Duration
	childPeak      int64 // bytes, the largest child's peak resident set
}

// cpuTimes is the CPU time, user and system, of this process and of its
// children that have exited, and the largest child's peak memory.
func cpuTimes() cpuUse {
	var self, children syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	d := func(r syscall.Rusage) time.Duration {
		return time.Duration(r.Utime.Nano() + r.Stime.Nano())
	}
	return cpuUse{d(self), d(children), children.Maxrss << 10} // Linux counts KiB
}
