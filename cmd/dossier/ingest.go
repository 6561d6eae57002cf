package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store"
)

func runIngest(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "ingest", "PATH... (files, folders, - for stdin)",
		"Reads .txt, .html/.htm and .jsonl inputs (folders recursively) into the store,\n"+
			"cleaning, describing, deduplicating, clustering and quoting each article.\n"+
			"Ingesting the same input again changes nothing. A bad file is reported and\n"+
			"skipped; the exit status is then 3.")
	cfg := ingest.DefaultConfig()
	fs.Float64Var(&cfg.Dedup.Threshold, "dup-threshold", cfg.Dedup.Threshold, "Jaccard resemblance at and above which an article is a near-duplicate")
	fs.Float64Var(&cfg.Cluster.Threshold, "story-threshold", cfg.Cluster.Threshold, "similarity at and above which an article joins a story")
	fs.DurationVar(&cfg.Cluster.Window, "story-window", cfg.Cluster.Window, "how far apart in time articles of one story may be")
	quiet := fs.Bool("quiet", false, "print no summary")
	paths, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return fmt.Errorf("%w: name at least one file, folder or -", errUsage)
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	cfg.Logger = c.logger(e)
	sum, err := ingestPaths(ctx, e, st, cfg, paths, *quiet)
	if err != nil {
		return err
	}
	if sum.Failed > 0 {
		return fmt.Errorf("%w: %d of them", errPartial, sum.Failed)
	}
	return nil
}

// ingestPaths runs one ingest and prints its problems and summary.
func ingestPaths(ctx context.Context, e *env, st store.Store, cfg ingest.Config, paths []string, quiet bool) (ingest.Summary, error) {
	start := time.Now()
	files, problems := source.List(paths)
	in, err := ingest.New(ctx, st, cfg)
	if err != nil {
		return ingest.Summary{}, err
	}
	defer in.Close()
	var progress func(int)
	if e.stderrIsTerminal && !quiet {
		var total int64
		for _, f := range files {
			total += f.Size
		}
		bar := progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(e.stderr),
			progressbar.OptionSetDescription("ingesting"),
			progressbar.OptionShowBytes(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
		defer bar.Finish()
		progress = func(n int) { bar.Add(n) }
	}
	var stdin io.Reader = e.stdin
	sum, err := in.Run(ctx, files, stdin, progress)
	sum.Problems = append(problems, sum.Problems...)
	sum.Failed += len(problems)
	for _, p := range sum.Problems {
		fmt.Fprintf(e.stderr, "skipped %s: %v\n", p.Source, p.Err)
	}
	if !quiet {
		fmt.Fprintf(e.stdout, "read %d, new %d, updated %d, unchanged %d, duplicates %d, failed %d, stories touched %d (%d new) in %s\n",
			sum.Read, sum.New, sum.Updated, sum.Unchanged, sum.Duplicates, sum.Failed, sum.StoriesTouched, sum.NewStories,
			time.Since(start).Round(time.Millisecond))
	}
	return sum, err
}
