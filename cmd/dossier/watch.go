package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/dossiernews/dossier/internal/crawl"
	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store"
)

func runWatch(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "watch", "",
		"Polls the feeds and sitemaps of dossier sources on a schedule and ingests\n"+
			"what is new. A feed unchanged since the last poll (ETag, Last-Modified) costs\n"+
			"one request; an item whose guid and dates are as they were is not fetched\n"+
			"again. Pages are fetched without the store's writer lock, which is taken only\n"+
			"to store them. Each poll ends with one line; a failing source is reported and\n"+
			"recorded (dossier sources list) and the others go on. Stop it with Ctrl-C.")
	cfg := ingest.DefaultConfig()
	settingFlags(fs, &cfg)
	every := fs.Duration("every", 15*time.Minute, "time between polls")
	jitter := fs.Float64("jitter", 0.1, "share in [0, 1) of --every by which each wait is drawn longer or shorter, so that polls do not fall together")
	once := fs.Bool("once", false, "poll once and stop; the exit status is 3 when a source or one of its pages failed")
	noWait := fs.Bool("no-wait", false, "skip a poll's storing when another process is writing to the store, instead of waiting")
	web := webFlags(fs, false)
	rest, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) > 0:
		return usagef("watch takes no arguments: add sources with dossier sources add URL")
	case *every < time.Second:
		return usagef("--every must be at least 1s")
	case *jitter < 0 || *jitter >= 1:
		return usagef("--jitter must be in [0, 1)")
	}
	if err := web.validate(); err != nil {
		return err
	}
	if err := validate(cfg); err != nil {
		return err
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	cfg.Who = "dossier watch"
	cfg.NoWait = *noWait
	cfg.OnWait = waitNotice(e)
	cfg.Logger = c.logger(e.stderr)
	// One crawler for the whole watch: robots.txt, per-host limits and
	// what each feed item was are remembered from poll to poll.
	crawler := web.crawler(cfg.Logger)
	defer crawler.Close()
	return watchLoop(ctx, e, st, c, cfg, crawler, schedule{every: *every, jitter: *jitter, once: *once}, nil)
}

// errNoSources is a poll's error when the store lists no source.
var errNoSources = errors.New("no sources to watch")

// schedule says when watch polls: every so long, drawn a jitter share
// longer or shorter; once stops after the first poll. A server's watch
// (serving) outlives a failed poll: it reports it and tries again at the
// next, as sources may be added or a fault cleared meanwhile.
type schedule struct {
	every   time.Duration
	jitter  float64
	once    bool
	serving bool
}

// documentsRunner ingests the documents a poll of source via read, and
// says what it did: dossier serve's goes through its child ingester.
type documentsRunner func(ctx context.Context, via string, docs []source.Document) (ingest.Summary, error)

// watchLoop polls the sources on sch's schedule until ctx ends. run, when
// not nil, ingests what each source gave; else one Ingester a poll does,
// in this process.
func watchLoop(ctx context.Context, e *env, st store.Store, c *common, cfg ingest.Config, crawler *crawl.Crawler, sch schedule, run documentsRunner) error {
	for {
		failed, err := poll(ctx, e, st, c, cfg, crawler, run)
		switch {
		case err != nil && ctx.Err() != nil:
			return &interruptedError{msg: "watch stopped", err: err}
		case err != nil && sch.serving:
			if !errors.Is(err, errNoSources) {
				fmt.Fprintf(e.stderr, "watch: %v\n", err)
			}
		case err != nil:
			return err
		}
		if sch.once {
			if failed.sources+failed.pages > 0 {
				return fmt.Errorf("%w: %s and %s failed", errPartial, plural(failed.sources, "source", "sources"), plural(failed.pages, "page", "pages"))
			}
			return nil
		}
		wait := time.Duration(float64(sch.every) * (1 + sch.jitter*(2*rand.Float64()-1)))
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return &interruptedError{msg: "watch stopped", err: ctx.Err()}
		}
	}
}

// polled is one source's documents and problems from a poll.
type polled struct {
	sub, before store.Subscription // after this poll, and before it
	docs        []source.Document
	problems    []source.Problem
	unchanged   bool
}

// poll reads every source, then stores what they gave under the writer
// lock; it returns how many sources failed outright, and how many of the
// pages they listed.
func poll(ctx context.Context, e *env, st store.Store, c *common, cfg ingest.Config, crawler *crawl.Crawler, run documentsRunner) (failed failures, err error) {
	start := time.Now()
	subs, err := st.Subscriptions(ctx)
	if err != nil {
		return failed, err
	}
	if len(subs) == 0 {
		return failed, fmt.Errorf("%w: add feeds or sitemaps with %s sources add URL", errNoSources, e.prog)
	}
	crawler.NewPoll()
	var results []*polled
	for _, sub := range subs {
		crawler.SetValidators(sub.URL, crawl.Validators{ETag: sub.ETag, LastModified: sub.LastModified})
		crawler.SetItems(sub.URL, sub.Items)
		before := crawler.Counts().NotModified
		p := &polled{sub: sub, before: sub}
		err := source.Read(ctx, crawler.URL(sub.URL), nil, func(d source.Document) error {
			p.docs = append(p.docs, d)
			return nil
		}, func(pr source.Problem) { p.problems = append(p.problems, pr) })
		if err != nil {
			return failed, err
		}
		p.unchanged = crawler.Counts().NotModified > before
		v := crawler.Validators(sub.URL)
		p.sub.ETag, p.sub.LastModified = v.ETag, v.LastModified
		if !p.unchanged {
			p.sub.Items = crawler.Items(sub.URL)
		}
		results = append(results, p)
	}
	var total ingest.Summary
	var in *ingest.Ingester
	var lockErr error // the lock held by another, with --no-wait
	for _, p := range results {
		sum := ingest.Summary{}
		switch {
		case len(p.docs) > 0 && run != nil:
			if sum, err = run(ctx, p.sub.URL, p.docs); err != nil {
				return failed, err
			}
		case len(p.docs) > 0 && lockErr == nil:
			if in == nil {
				if in, err = ingest.New(ctx, st, cfg); err != nil {
					in = nil
					if ctx.Err() != nil || !errors.As(err, new(*store.LockedError)) {
						return failed, writerError(ctx, err, c.db)
					}
					lockErr = err
				}
			}
			if in != nil {
				docs := p.docs
				file := source.Produced(p.sub.URL, source.Feed, func(ctx context.Context, fn func(source.Document) error, _ func(source.Problem)) error {
					for _, d := range docs {
						if err := fn(d); err != nil {
							return err
						}
					}
					return nil
				})
				if sum, err = in.Run(ctx, []source.File{file}, nil, nil); err != nil {
					_ = in.Close()
					return failed, err
				}
			}
		}
		p.problems = append(p.problems, sum.Problems...)
		total.Read += sum.Read
		total.New += sum.New
		total.Updated += sum.Updated
		total.Unchanged += sum.Unchanged
		total.Duplicates += sum.Duplicates
		itself, pages := record(ctx, e, st, p, sum, lockErr)
		if itself {
			failed.sources++
		}
		failed.pages += pages
	}
	if in != nil {
		if err := in.Close(); err != nil {
			return failed, err
		}
	}
	n := crawler.Counts()
	line := fmt.Sprintf("polled %s: read %d, new %d, updated %d, unchanged %d, duplicates %d, failed %d",
		plural(len(subs), "source", "sources"), total.Read, total.New, total.Updated, total.Unchanged, total.Duplicates, failed.sources+failed.pages)
	if s := webSummary(n); s != "" {
		line += "; " + s
	}
	fmt.Fprintf(e.stdout, "%s %s in %s\n", time.Now().Format("15:04:05"), line, time.Since(start).Round(time.Millisecond))
	return failed, nil
}

// record prints a source's problems and stores how its poll went; it
// reports whether the source itself failed, and how many of its pages did.
func record(ctx context.Context, e *env, st store.Store, p *polled, sum ingest.Summary, lockErr error) (itself bool, pages int) {
	sub := p.sub
	sub.LastPoll = time.Now()
	sub.New = sum.New
	sub.Status, sub.Error = "ok", ""
	if p.unchanged {
		sub.Status = "unchanged"
	}
	failedItself := false
	var failedPages []string
	for _, pr := range p.problems {
		fmt.Fprintf(e.stderr, "skipped %s: %s\n", pr.Source, problemText(pr))
		if pr.Source == sub.URL {
			failedItself = true
			sub.Status, sub.Error = "failed", problemText(pr)
			continue
		}
		failedPages = append(failedPages, pr.Source+": "+problemText(pr))
	}
	if lockErr != nil && len(p.docs) > 0 {
		sub.Status, sub.Error = "failed", "not stored: "+lockErr.Error()
		failedItself = true
		// Nothing was stored: the next poll must ask for it all again.
		sub.ETag, sub.LastModified, sub.Items = p.before.ETag, p.before.LastModified, p.before.Items
	}
	forgetFailed(sub.Items, p.problems)
	if !failedItself && len(failedPages) > 0 {
		sub.Error = fmt.Sprintf("%s failed; first %s", plural(len(failedPages), "page", "pages"), failedPages[0])
	}
	if err := st.PutSubscription(ctx, sub); err != nil {
		fmt.Fprintf(e.stderr, "could not record the poll of %s: %v\n", sub.URL, err)
	}
	return failedItself, len(failedPages)
}

// failures counts what failed in a poll.
type failures struct{ sources, pages int }
