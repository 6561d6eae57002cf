package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/schollz/progressbar/v3"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/benchgen"
	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store/sqlite"
)

// benchChild is the hidden first argument that makes bench ingest one
// corpus and report on stdout: each size runs in its own process so that
// its peak memory is its own.
const benchChild = "--child"

func runBench(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == benchChild {
		return runBenchChild(ctx, e, args[1:])
	}
	fs := flag.NewFlagSet("dossier bench", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	sizes := fs.String("n", "10000", "the corpus sizes to measure, `N[,N...]` separated by commas")
	seed := fs.Uint64("seed", 1, "the generator's seed `S`: the same seed gives the same corpus")
	dir := fs.String("dir", "", "the folder `DIR` for corpora and stores (default: a temporary folder, removed after)")
	keep := fs.Bool("keep", false, "keep the corpora, their truth and the stores")
	workers := fs.Int("workers", 0, "`K` workers for the per-article stages (0: one per CPU)")
	asJSON := fs.Bool("json", false, "print the figures as JSON")
	cpuProfile := fs.String("cpuprofile", "", "write each ingest's CPU profile to `FILE`.N, N its corpus size")
	memProfile := fs.String("memprofile", "", "write the heap each ingest holds at its end to `FILE`.N, N its corpus size")
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprint(w, "Usage: dossier bench [flags]\n\n"+
			"Generates a corpus of N invented articles with its own truth (overlapping\n"+
			"topics, stories of every size over hours to weeks, syndicated copies, one-off\n"+
			"and undated articles), ingests it into a fresh store with the default settings,\n"+
			"and reports articles per second end to end and per stage, peak memory, store\n"+
			"size, BCubed F1 of stories and pairwise F1 of copies against the truth, and\n"+
			"the cost of adding one article to the finished store against an empty one.\n\nFlags:\n")
		printFlags(w, fs)
	}
	rest, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("bench takes no arguments")
	}
	ns, err := parseSizes(*sizes)
	if err != nil {
		return err
	}
	if *workers < 0 {
		return usagef("--workers %d: want 0 (one per CPU) or more", *workers)
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find this program to run the measurements: %w", err)
	}
	root := *dir
	if root == "" {
		if root, err = os.MkdirTemp("", "dossier-bench-"); err != nil {
			return fmt.Errorf("bench folder: %w", err)
		}
		if !*keep {
			defer os.RemoveAll(root)
		}
	} else if err := os.MkdirAll(root, 0o755); err != nil {
		return fmt.Errorf("bench folder: %w", err)
	}
	b := bencher{e: e, exe: exe, seed: *seed, workers: *workers, cpuProfile: *cpuProfile, memProfile: *memProfile}
	var runs []benchRun
	for _, n := range ns {
		sub := filepath.Join(root, "n"+strconv.Itoa(n))
		r, err := b.measure(ctx, sub, n)
		if !*keep && *dir != "" {
			// A folder the user named is kept; what bench made in it is not.
			os.RemoveAll(sub)
		}
		if err != nil {
			return err
		}
		runs = append(runs, r)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"seed": *seed, "runs": runs})
	}
	printBench(e.stdout, runs)
	if *keep {
		fmt.Fprintf(e.stderr, "kept in %s\n", root)
	}
	return nil
}

func parseSizes(s string) ([]int, error) {
	var ns []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(strings.ReplaceAll(f, "_", "")))
		if err != nil || n < 1 {
			return nil, usagef("--n %q: want sizes of 1 or more, separated by commas", s)
		}
		ns = append(ns, n)
	}
	return ns, nil
}

// benchRun is the figures for one corpus size.
type benchRun struct {
	N         int            `json:"n"`
	Corpus    benchgen.Stats `json:"corpus"`
	Seconds   float64        `json:"seconds"`
	PerSecond float64        `json:"articles_per_second"`
	// Stages gives articles per second of each stage's time, summed over
	// workers (so per core for the parallel stages).
	Stages       map[string]float64 `json:"stage_articles_per_second"`
	StageSeconds map[string]float64 `json:"stage_seconds"`
	PeakRSS      int64              `json:"peak_rss_bytes"`
	StoreBytes   int64              `json:"store_bytes"`
	PerArticle   float64            `json:"store_bytes_per_article"`
	Failed       int                `json:"failed"`
	GoldStories  int                `json:"gold_stories"`
	Stories      int                `json:"predicted_stories"`
	BCubed       benchgen.PRF       `json:"stories_bcubed"`
	StoryPairs   benchgen.PRF       `json:"stories_pairwise"`
	Copies       benchgen.PRF       `json:"copies_pairwise"`
	// DedupCluster is the time of the dedup and cluster stages per article.
	DedupCluster float64 `json:"dedup_cluster_us_per_article"`
	AddEmpty     float64 `json:"add_one_empty_seconds"`
	AddFull      float64 `json:"add_one_full_seconds"`
	AddRatio     float64 `json:"add_one_ratio"`
}

// childReport is what a child process measured of its ingest.
type childReport struct {
	Seconds float64                  `json:"seconds"`
	Timing  map[string]time.Duration `json:"timing"`
	Read    int                      `json:"read"`
	Failed  int                      `json:"failed"`
	PeakRSS int64                    `json:"peak_rss_bytes"`
}

type bencher struct {
	e       *env
	exe     string
	seed    uint64
	workers int
	// cpuProfile and memProfile, if set, are the prefixes of each
	// ingest's CPU and heap profiles.
	cpuProfile, memProfile string
}

func (b *bencher) measure(ctx context.Context, dir string, n int) (benchRun, error) {
	r := benchRun{N: n}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return r, fmt.Errorf("bench folder: %w", err)
	}
	corpus, truth, db := filepath.Join(dir, "corpus.jsonl"), filepath.Join(dir, "truth.jsonl"), filepath.Join(dir, "bench.db")
	for _, suffix := range []string{"", "-wal", "-shm", ".lock", "-empty.db", "-empty.db-wal", "-empty.db-shm", "-empty.db.lock"} {
		if err := os.Remove(db + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return r, fmt.Errorf("fresh store: %w", err)
		}
	}
	cfg := benchgen.Config{N: n, Seed: b.seed}
	stats, err := b.generate(ctx, cfg, corpus, truth)
	if err != nil {
		return r, err
	}
	r.Corpus = stats

	args := []string{"bench", benchChild, "--db", db, "--workers", strconv.Itoa(b.workers)}
	if b.cpuProfile != "" {
		args = append(args, "--cpuprofile", b.cpuProfile+"."+strconv.Itoa(n))
	}
	if b.memProfile != "" {
		args = append(args, "--memprofile", b.memProfile+"."+strconv.Itoa(n))
	}
	if b.e.stderrIsTerminal {
		args = append(args, "--progress")
	}
	var out bytes.Buffer
	if _, err := b.child(ctx, &out, append(args, corpus)...); err != nil {
		return r, fmt.Errorf("ingest %d articles: %w", n, err)
	}
	var rep childReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		return r, fmt.Errorf("ingest %d articles: its report: %w", n, err)
	}
	r.Seconds, r.PeakRSS, r.Failed = rep.Seconds, rep.PeakRSS, rep.Failed
	r.PerSecond = float64(n) / rep.Seconds
	r.Stages, r.StageSeconds = map[string]float64{}, map[string]float64{}
	for _, name := range ingest.Stages {
		d := rep.Timing[name].Seconds()
		r.StageSeconds[name] = d
		if d > 0 {
			r.Stages[name] = float64(n) / d
		}
	}
	r.DedupCluster = float64((rep.Timing[ingest.StageDedup] + rep.Timing[ingest.StageCluster]).Microseconds()) / float64(n)
	for _, suffix := range []string{"", "-wal"} {
		if info, err := os.Stat(db + suffix); err == nil {
			r.StoreBytes += info.Size()
		}
	}
	r.PerArticle = float64(r.StoreBytes) / float64(n)
	if err := score(ctx, &r, db, truth); err != nil {
		return r, err
	}

	// One more article, by a new process as a user would add it: into
	// the finished store, and into an empty one for comparison.
	rec, _ := benchgen.Extra(cfg)
	extra := filepath.Join(dir, "extra.jsonl")
	line, err := json.Marshal(rec)
	if err != nil {
		return r, fmt.Errorf("extra article: %w", err)
	}
	if err := os.WriteFile(extra, append(line, '\n'), 0o644); err != nil {
		return r, fmt.Errorf("extra article: %w", err)
	}
	for _, to := range []struct {
		db string
		t  *float64
	}{{db + "-empty.db", &r.AddEmpty}, {db, &r.AddFull}} {
		d, err := b.child(ctx, io.Discard, "ingest", "--quiet", "--db", to.db, extra)
		if err != nil {
			return r, fmt.Errorf("add one article to %s: %w", to.db, err)
		}
		*to.t = d.Seconds()
	}
	r.AddRatio = r.AddFull / r.AddEmpty
	return r, nil
}

// generate writes the corpus and its truth, with a bar on a terminal.
func (b *bencher) generate(ctx context.Context, cfg benchgen.Config, corpus, truth string) (benchgen.Stats, error) {
	cf, err := os.Create(corpus)
	if err != nil {
		return benchgen.Stats{}, fmt.Errorf("corpus: %w", err)
	}
	defer cf.Close()
	tf, err := os.Create(truth)
	if err != nil {
		return benchgen.Stats{}, fmt.Errorf("truth: %w", err)
	}
	defer tf.Close()
	var w io.Writer = cf
	if b.e.stderrIsTerminal {
		// The bar counts lines as they are written.
		bar := progressbar.NewOptions(cfg.N, progressbar.OptionSetWriter(b.e.stderr),
			progressbar.OptionSetDescription("generating"), progressbar.OptionShowCount(),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionSetWidth(30),
			progressbar.OptionClearOnFinish())
		defer bar.Finish()
		w = io.MultiWriter(cf, lineCounter{bar})
	}
	stats, err := benchgen.Generate(ctx, cfg, w, tf)
	if err != nil {
		return stats, err
	}
	if err := errors.Join(cf.Close(), tf.Close()); err != nil {
		return stats, fmt.Errorf("corpus: %w", err)
	}
	return stats, nil
}

type lineCounter struct{ bar *progressbar.ProgressBar }

func (l lineCounter) Write(p []byte) (int, error) {
	_ = l.bar.Add(bytes.Count(p, []byte{'\n'}))
	return len(p), nil
}

// child runs this program with args, its stdout to out, and returns how
// long it took.
func (b *bencher) child(ctx context.Context, out io.Writer, args ...string) (time.Duration, error) {
	cmd := exec.CommandContext(ctx, b.exe, args...)
	cmd.Stdout, cmd.Stderr = out, b.e.stderr
	cmd.Env = append(os.Environ(), "DOSSIER_DB=")
	// Interrupted, the child stops the way an interrupted ingest does.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	if err != nil && ctx.Err() != nil {
		return d, &interruptedError{msg: "interrupted; nothing measured is kept", err: ctx.Err()}
	}
	return d, err
}

// score compares the stored stories and copies with the truth.
func score(ctx context.Context, r *benchRun, db, truth string) error {
	f, err := os.Open(truth)
	if err != nil {
		return fmt.Errorf("truth: %w", err)
	}
	defer f.Close()
	goldStory, goldCopy := make([]string, 0, r.N), make([]string, 0, r.N)
	stories := map[string]bool{}
	err = benchgen.ReadTruth(bufio.NewReader(f), func(t benchgen.Truth) error {
		goldStory = append(goldStory, t.Story)
		canon := t.URL
		if t.CopyOf != "" {
			canon = t.CopyOf
		}
		goldCopy = append(goldCopy, canon)
		stories[t.Story] = true
		return nil
	})
	if err != nil {
		return err
	}
	r.GoldStories = len(stories)
	// A lost article is a story and an original of its own.
	predStory, predCopy := make([]string, len(goldStory)), make([]string, len(goldStory))
	for i := range predStory {
		predStory[i] = "missing-" + strconv.Itoa(i)
		predCopy[i] = predStory[i]
	}
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	found := map[string]bool{}
	err = st.Articles(ctx, func(a dossier.Article) error {
		line, err := strconv.Atoi(a.Source[strings.LastIndexByte(a.Source, '#')+1:])
		if err != nil || line < 1 || line > len(predStory) {
			return fmt.Errorf("stored article %s has source %q, not a corpus line", a.ID, a.Source)
		}
		predStory[line-1] = a.StoryID
		predCopy[line-1] = a.ID
		if a.DuplicateOf != "" {
			predCopy[line-1] = a.DuplicateOf
		}
		found[a.StoryID] = true
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the stored articles: %w", err)
	}
	r.Stories = len(found)
	if r.BCubed, err = benchgen.BCubed(goldStory, predStory); err != nil {
		return err
	}
	if r.StoryPairs, err = benchgen.Pairwise(goldStory, predStory); err != nil {
		return err
	}
	r.Copies, err = benchgen.Pairwise(goldCopy, predCopy)
	return err
}

func printBench(w io.Writer, runs []benchRun) {
	var rows [][]string
	row := func(label string, f func(benchRun) string) {
		cells := []string{label}
		for _, r := range runs {
			cells = append(cells, f(r))
		}
		rows = append(rows, cells)
	}
	row("articles", func(r benchRun) string { return strconv.Itoa(r.N) })
	row("  gold stories / copies", func(r benchRun) string {
		return fmt.Sprintf("%d / %d", r.GoldStories, r.Corpus.Copies)
	})
	row("end to end, articles/s", func(r benchRun) string { return fmt.Sprintf("%.0f", r.PerSecond) })
	row("  wall time", func(r benchRun) string {
		return (time.Duration(r.Seconds * float64(time.Second))).Round(time.Second / 10).String()
	})
	for _, name := range ingest.Stages {
		row("  "+name+", articles/s", func(r benchRun) string {
			if v, ok := r.Stages[name]; ok {
				return fmt.Sprintf("%.0f", v)
			}
			return "-"
		})
	}
	row("dedup+cluster, µs/article", func(r benchRun) string { return fmt.Sprintf("%.0f", r.DedupCluster) })
	row("peak memory, MiB", func(r benchRun) string {
		if r.PeakRSS == 0 {
			return "-"
		}
		return fmt.Sprintf("%.0f", float64(r.PeakRSS)/(1<<20))
	})
	row("store, bytes/article", func(r benchRun) string { return fmt.Sprintf("%.0f", r.PerArticle) })
	row("stories BCubed F1 (P/R)", func(r benchRun) string {
		return fmt.Sprintf("%.3f (%.3f/%.3f)", r.BCubed.F1, r.BCubed.P, r.BCubed.R)
	})
	row("stories pairwise F1", func(r benchRun) string { return fmt.Sprintf("%.3f", r.StoryPairs.F1) })
	row("  predicted stories", func(r benchRun) string { return strconv.Itoa(r.Stories) })
	row("copies pairwise F1 (P/R)", func(r benchRun) string {
		return fmt.Sprintf("%.3f (%.3f/%.3f)", r.Copies.F1, r.Copies.P, r.Copies.R)
	})
	row("add one article, empty store", func(r benchRun) string { return ms(r.AddEmpty) })
	row("add one article, this store", func(r benchRun) string { return ms(r.AddFull) })
	row("  ratio", func(r benchRun) string { return fmt.Sprintf("%.1f×", r.AddRatio) })
	// Labels to the left, figures to the right of their columns.
	width := make([]int, len(runs)+1)
	for _, cells := range rows {
		for i, c := range cells {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	for _, cells := range rows {
		line := cells[0] + strings.Repeat(" ", width[0]-utf8.RuneCountInString(cells[0]))
		for i, c := range cells[1:] {
			line += "  " + strings.Repeat(" ", width[i+1]-utf8.RuneCountInString(c)) + c
		}
		fmt.Fprintln(w, line)
	}
}

func ms(s float64) string { return fmt.Sprintf("%.0f ms", s*1000) }

// runBenchChild ingests one corpus into a fresh store and prints a
// childReport.
func runBenchChild(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("dossier bench "+benchChild, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	db := fs.String("db", "", "")
	workers := fs.Int("workers", 0, "")
	bar := fs.Bool("progress", false, "")
	cpuProfile := fs.String("cpuprofile", "", "")
	memProfile := fs.String("memprofile", "", "")
	rest, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if *db == "" || len(rest) != 1 {
		return usagef("%s takes --db PATH and one corpus", benchChild)
	}
	stop, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stop()
	start := time.Now()
	st, err := sqlite.Open(ctx, *db)
	if err != nil {
		return err
	}
	cfg := ingest.DefaultConfig()
	cfg.Workers = *workers
	cfg.Who = "dossier bench"
	in, err := ingest.New(ctx, st, cfg)
	if err != nil {
		st.Close()
		return err
	}
	// Closing is part of the run: the store settles its files then.
	closeAll := sync.OnceValue(func() error { return errors.Join(in.Close(), st.Close()) })
	defer closeAll()
	files, problems := source.List(rest)
	p := &progress{w: e.stderr}
	if *bar {
		total, known := source.Count(ctx, files)
		p.start(total, known)
	}
	sum, err := in.Run(ctx, files, nil, p.add)
	p.end(err == nil)
	if err != nil {
		return err
	}
	if *memProfile != "" {
		if err := writeHeapProfile(*memProfile); err != nil {
			return err
		}
	}
	if err := closeAll(); err != nil {
		return err
	}
	rep := childReport{Seconds: time.Since(start).Seconds(), Timing: sum.Timing, Read: sum.Read,
		Failed: sum.Failed + len(problems), PeakRSS: peakRSS()}
	return json.NewEncoder(e.stdout).Encode(rep)
}

// writeHeapProfile writes what the heap holds live now: the streaming
// state at the end of a run, before the store closes.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("heap profile: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	return nil
}

// peakRSS is this process's peak resident set in bytes, 0 where the
// system does not say.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

// startCPUProfile writes the process's CPU profile to path until stop is
// called; an empty path profiles nothing.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
