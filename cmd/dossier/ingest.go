package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/dossiernews/dossier/internal/crawl"
	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store"
	"github.com/dossiernews/dossier/internal/store/postgres"
)

func runIngest(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "ingest", "PATH|URL... (files, folders, - for stdin, web addresses)",
		"Reads .txt, .html/.htm and .jsonl inputs (folders recursively) into the store,\n"+
			"cleaning, describing, deduplicating, clustering and quoting each article.\n"+
			"Also reads web archives (.warc, .warc.gz), feeds (.rss, .atom, or any file\n"+
			"named outright that holds RSS, Atom, JSON Feed or a sitemap), and URLs: a\n"+
			"page, or a feed or sitemap whose every page is fetched. Pages that are no\n"+
			"articles (fronts, tag and author pages, galleries, videos) are counted and\n"+
			"left out.\n"+
			"Ingesting the same input again changes nothing. A bad file is reported and\n"+
			"skipped; the exit status is then 3. One process writes to a store at a time:\n"+
			"another waits its turn, unless --no-wait. Interrupted (Ctrl-C), it keeps what\n"+
			"it stored and exits with status 130; running it again goes on.")
	cfg := ingest.DefaultConfig()
	settingFlags(fs, &cfg)
	quiet := fs.Bool("quiet", false, "print no progress bar and no summary")
	asJSON := fs.Bool("json", false, "print the summary as one JSON object (problems included) instead of text")
	noWait := fs.Bool("no-wait", false, "fail at once when another process is writing to the store")
	queue := fs.Bool("queue", false, "queue the documents for dossier work instead of ingesting them (PostgreSQL stores only)")
	web := webFlags(fs, true)
	paths, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if web.urls != "" {
		more, err := readURLList(web.urls)
		if err != nil {
			return err
		}
		paths = append(paths, more...)
	}
	if len(paths) == 0 {
		return usagef("name at least one file, folder, URL or -")
	}
	if err := web.validate(); err != nil {
		return err
	}
	if err := validate(cfg); err != nil {
		return err
	}
	if *queue && !postgres.IsURL(c.db) {
		return usagef("--queue needs a PostgreSQL store (--db postgres://...); a SQLite store is ingested directly, without --queue")
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if *queue {
		return queueInputs(ctx, e, st, c, web, paths, *quiet)
	}
	cfg.Who = "dossier ingest"
	cfg.NoWait = *noWait
	cfg.OnWait = waitNotice(e)
	sum, err := ingestPaths(ctx, e, st, c, cfg, paths, ingestOptions{quiet: *quiet, json: *asJSON, web: web})
	if err != nil {
		return err
	}
	if sum.Failed > 0 {
		return fmt.Errorf("%w: %s skipped, the rest is stored", errPartial, plural(sum.Failed, "input", "inputs"))
	}
	return nil
}

// settingFlags are the settings of the streaming stages, which ingest and
// recluster share.
func settingFlags(fs *flag.FlagSet, cfg *ingest.Config) {
	fs.Float64Var(&cfg.Dedup.Threshold, "dup-threshold", cfg.Dedup.Threshold, "Jaccard resemblance in (0, 1] at and above which an article is a near-duplicate")
	fs.Float64Var(&cfg.Cluster.Threshold, "story-threshold", cfg.Cluster.Threshold, "similarity in [0, 1] at and above which an article joins a story")
	fs.DurationVar(&cfg.Cluster.Window, "story-window", cfg.Cluster.Window, "how far apart in time articles of one story may be (0: no limit)")
	fs.DurationVar(&cfg.Cluster.Decay, "story-decay", cfg.Cluster.Decay, "how fast a dated article's match with a story fades with the time between them, after a day (0: time does not count)")
	fs.Float64Var(&cfg.Cluster.DecayFloor, "story-decay-floor", cfg.Cluster.DecayFloor, "the share in [0, 1] of a match that time never takes away (1: time does not count)")
	fs.Float64Var(&cfg.Cluster.MergeAt, "story-merge", cfg.Cluster.MergeAt, "similarity in [0, 1] of two stories an article fits at and above which they are merged (0: never)")
	fs.Float64Var(&cfg.Cluster.SplitBelow, "story-split", cfg.Cluster.SplitBelow, "similarity in [0, 1] of two groups of a story's articles below which the story splits in two (0: never)")
	fs.Float64Var(&cfg.Cluster.Prior, "story-prior", cfg.Cluster.Prior, "how many documents of news language the built-in table of common words counts for, so that a stream's first articles weigh them as a large archive would (0: off)")
}

// flagNames maps the words of ingest.Config.Validate to the flags that set them.
var flagNames = strings.NewReplacer(
	"duplicate threshold", "--dup-threshold",
	"story threshold", "--story-threshold",
	"story window", "--story-window",
	"story decay floor", "--story-decay-floor",
	"story decay", "--story-decay",
	"story merge threshold", "--story-merge",
	"story split threshold", "--story-split",
	"story prior", "--story-prior",
)

// validate reports settings out of range as usage errors naming the flag.
func validate(cfg ingest.Config) error {
	if err := cfg.Validate(); err != nil {
		return usagef("%s", strings.ReplaceAll(flagNames.Replace(err.Error()), "\n", "; "))
	}
	return nil
}

// waitNotice tells the user, once, why nothing happens yet.
func waitNotice(e *env) func(store.Holder) {
	return func(h store.Holder) {
		fmt.Fprintf(e.stderr, "waiting for the store's writer lock, held by %s…\n", h)
	}
}

// writerError words a failure to become the store's writer.
func writerError(ctx context.Context, err error, db string) error {
	var le *store.LockedError
	switch {
	case ctx.Err() != nil:
		return &interruptedError{msg: "interrupted while waiting for the store's writer lock; nothing was changed", err: err}
	case errors.As(err, &le):
		return &wordedError{msg: fmt.Sprintf("%s is being written by %s; try again when it is done, or leave out --no-wait to wait for it",
			db, le.Holder), err: err}
	}
	return err
}

type ingestOptions struct {
	quiet bool
	// json prints the summary as JSON, for a program to read.
	json bool
	// web sets how URLs, feeds and archives are read; nil for the defaults.
	web *webSettings
	// shown maps a source path to the path reported (the demo's unpacked copy).
	shown func(string) string
}

// ingestPaths runs one ingest and prints its problems and summary.
func ingestPaths(ctx context.Context, e *env, st store.Store, c *common, cfg ingest.Config, paths []string, opt ingestOptions) (sum ingest.Summary, err error) {
	start := time.Now()
	// Log lines go through the progress bar, which clears itself for them.
	p := &progress{w: e.stderr, doing: "ingesting", items: "documents"}
	cfg.Logger = c.logger(p)
	crawler := opt.web.crawler(cfg.Logger)
	defer crawler.Close()
	files, problems := listInputs(crawler, paths)
	in, err := ingest.New(ctx, st, cfg)
	if err != nil {
		return sum, writerError(ctx, err, c.db)
	}
	defer func() {
		if cerr := in.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if e.stdinIsTerminal && slices.Contains(paths, source.Stdin) {
		fmt.Fprintln(e.stderr, "reading standard input: one document, or JSONL records; Ctrl-D ends it")
	}
	total, known := source.Count(ctx, files)
	if e.stderrIsTerminal && !opt.quiet {
		p.start(total, known)
	}
	watched := primeWatched(ctx, st, crawler, paths)
	sum, err = in.Run(ctx, files, e.stdin, p.add)
	done := p.end(err == nil)
	if err == nil {
		rememberWatched(ctx, e, st, crawler, watched, sum.Problems)
	}
	sum.Problems = append(problems, sum.Problems...)
	sum.Failed += len(problems)
	shown := opt.shown
	if shown == nil {
		shown = func(s string) string { return s }
	}
	for _, pr := range sum.Problems {
		fmt.Fprintf(e.stderr, "skipped %s: %s\n", shown(pr.Source), problemText(pr))
	}
	if err != nil && ctx.Err() != nil {
		return sum, &interruptedError{msg: interruptedAfter(done, total, known), err: err}
	}
	if opt.json {
		if sum.Problems == nil {
			sum.Problems = []source.Problem{} // a list a program can count, never null
		}
		if err := json.NewEncoder(e.stdout).Encode(sum); err != nil {
			return sum, fmt.Errorf("write summary: %w", err)
		}
	} else if !opt.quiet {
		relinked := ""
		if sum.Relinked > 0 {
			relinked = fmt.Sprintf(", relinked %s", plural(sum.Relinked, "copy", "copies"))
		}
		if sum.Merged > 0 {
			relinked += fmt.Sprintf(", merged %s", plural(sum.Merged, "story", "stories"))
		}
		if sum.Split > 0 {
			relinked += fmt.Sprintf(", split %s", plural(sum.Split, "story", "stories"))
		}
		if sum.Recleaned > 0 {
			relinked += fmt.Sprintf(", cleaned again by outlet templates %s", plural(sum.Recleaned, "article", "articles"))
		}
		fmt.Fprintf(e.stdout, "read %d, new %d, updated %d, unchanged %d, duplicates %d, failed %d, stories touched %d (%d new)%s in %s\n",
			sum.Read, sum.New, sum.Updated, sum.Unchanged, sum.Duplicates, sum.Failed, sum.StoriesTouched, sum.NewStories,
			relinked, time.Since(start).Round(time.Millisecond))
		if line := webSummary(crawler.Counts()); line != "" {
			fmt.Fprintln(e.stdout, line)
		}
	}
	return sum, err
}

// primeWatched tells the crawler what the items of the feeds among paths
// that are also watched sources were when last fetched, so that an item as
// it was is not fetched again; it returns those sources.
func primeWatched(ctx context.Context, st store.Store, crawler *crawl.Crawler, paths []string) []store.Subscription {
	if !slices.ContainsFunc(paths, crawl.IsURL) {
		return nil // only a feed named by its URL can be a source
	}
	subs, err := st.Subscriptions(ctx)
	if err != nil {
		return nil // the memory saves fetches; without it all are fetched
	}
	var watched []store.Subscription
	for _, sub := range subs {
		if slices.Contains(paths, sub.URL) {
			crawler.SetItems(sub.URL, sub.Items)
			watched = append(watched, sub)
		}
	}
	return watched
}

// rememberWatched keeps what the watched feeds' items are now, but for
// pages that could not be stored, which the next read fetches again.
func rememberWatched(ctx context.Context, e *env, st store.Store, crawler *crawl.Crawler, watched []store.Subscription, problems []source.Problem) {
	for _, sub := range watched {
		sub.Items = crawler.Items(sub.URL)
		forgetFailed(sub.Items, problems)
		if err := st.PutSubscription(ctx, sub); err != nil {
			fmt.Fprintf(e.stderr, "could not remember the items of %s: %v\n", sub.URL, err)
		}
	}
}

// forgetFailed drops from a feed's item memory the pages that could not be
// stored, so that the next read fetches them again.
func forgetFailed(items map[string]string, problems []source.Problem) {
	for _, pr := range problems {
		delete(items, pr.Source)
	}
}

// interruptedAfter says how far an interrupted ingest got; total counts
// the documents of the inputs when known.
func interruptedAfter(done, total int, known bool) string {
	of := plural(done, "document", "documents")
	if known {
		of = fmt.Sprintf("%d of %s", done, plural(total, "document", "documents"))
	}
	return "interrupted after " + of + "; run again to go on"
}

// problemText is why a source was skipped, without its path again.
func problemText(p source.Problem) string {
	msg := p.Err.Error()
	var pe *fs.PathError
	if errors.As(p.Err, &pe) {
		msg = strings.Replace(msg, pe.Error(), pe.Err.Error(), 1)
	}
	return strings.TrimPrefix(msg, p.Source+": ")
}

// progress counts the documents done and, on a terminal, draws them on w,
// where other lines are written through it.
type progress struct {
	w io.Writer
	// doing and items word the bar: "ingesting" 12/40 "documents".
	doing, items string
	mu           sync.Mutex
	done         int
	over         bool
	known        bool
	bar          *progressbar.ProgressBar
}

// Write writes a line of its own: the bar is cleared first and drawn again
// on the next document.
func (p *progress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil && !p.over {
		_ = p.bar.Clear()
	}
	return p.w.Write(b)
}

func (p *progress) start(total int, known bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.known = known
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(p.doing),
		progressbar.OptionShowCount(),
		progressbar.OptionSetItsString(p.items),
		progressbar.OptionThrottle(100 * time.Millisecond),
		progressbar.OptionSetWidth(30),
	}
	if !known {
		total = -1 // a spinner with a count
		opts = append(opts, progressbar.OptionSpinnerType(14))
	}
	p.bar = progressbar.NewOptions(total, opts...)
}

// add is Run's progress callback; the reader may still call it after Run
// returns, so it is locked and ignored after end.
func (p *progress) add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.over {
		return
	}
	p.done += n
	if p.bar != nil {
		if p.known && p.done > p.bar.GetMax() {
			p.bar.ChangeMax(p.done)
		}
		_ = p.bar.Add(n)
	}
}

// end stops counting and leaves the bar on its own line: full when the
// run completed, as far as it got when not. It returns the documents done.
func (p *progress) end(complete bool) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.over = true
	if p.bar != nil {
		if complete && p.known {
			_ = p.bar.Finish()
		} else {
			_ = p.bar.Exit()
		}
		fmt.Fprintln(p.w)
	}
	return p.done
}

// queueInputs reads the inputs and queues their documents, in order.
func queueInputs(ctx context.Context, e *env, st store.Store, c *common, web *webSettings, paths []string, quiet bool) error {
	start := time.Now()
	log := c.logger(e.stderr)
	crawler := web.crawler(log)
	defer crawler.Close()
	files, problems := listInputs(crawler, paths)
	var mu sync.Mutex // bad is called by the reader's goroutines
	bad := func(p source.Problem) {
		mu.Lock()
		problems = append(problems, p)
		mu.Unlock()
	}
	n, err := enqueue(ctx, e, st, func(yield func([]byte) error) error {
		for _, f := range files {
			err := source.Read(ctx, f, e.stdin, func(d source.Document) error {
				b, err := ingest.EncodeDocument(d)
				if err != nil {
					return err
				}
				return yield(b)
			}, bad)
			if err != nil {
				return err
			}
		}
		return nil
	})
	for _, pr := range problems {
		fmt.Fprintf(e.stderr, "skipped %s: %s\n", pr.Source, problemText(pr))
	}
	if err != nil {
		if ctx.Err() != nil {
			return &interruptedError{msg: fmt.Sprintf("interrupted after queueing %s", plural(n, "document", "documents")), err: err}
		}
		return err
	}
	if !quiet {
		fmt.Fprintf(e.stdout, "queued %s, failed %d in %s\n", plural(n, "document", "documents"), len(problems), time.Since(start).Round(time.Millisecond))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s skipped, the rest is queued", errPartial, plural(len(problems), "input", "inputs"))
	}
	return nil
}
