package main

import (
	"context"
	"fmt"
	"time"

	"github.com/dossiernews/dossier/internal/ingest"
)

func runRecluster(ctx context.Context, e *env, args []string) error {
	flags, c := newFlags(e, "recluster", "",
		"Rebuilds copies and stories from the stored articles with the settings given,\n"+
			"as if they were ingested afresh in the order they came: after a change of\n"+
			"settings, without reading the inputs again. Every article that changes story\n"+
			"is recorded in its story's history. Interrupted, it keeps what it changed;\n"+
			"running it again finishes the job.")
	cfg := ingest.DefaultConfig()
	settingFlags(flags, &cfg)
	quiet := flags.Bool("quiet", false, "print no progress bar and no summary")
	noWait := flags.Bool("no-wait", false, "fail at once when another process is writing to the store")
	rest, err := parse(e, flags, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("recluster takes no arguments")
	}
	if err := validate(cfg); err != nil {
		return err
	}
	st, err := c.openExisting(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	p := &progress{w: e.stderr, doing: "reclustering", items: "articles"}
	cfg.Logger = c.logger(p)
	cfg.Who = "dossier recluster"
	cfg.NoWait = *noWait
	cfg.OnWait = waitNotice(e)
	started := false
	rs, err := ingest.Recluster(ctx, st, cfg, func(done, total int) {
		if !started && e.stderrIsTerminal && !*quiet {
			p.start(total, true)
		}
		started = true
		if done > 0 {
			p.add(1)
		}
	})
	done := p.end(err == nil)
	if err != nil {
		if ctx.Err() != nil {
			return &interruptedError{msg: fmt.Sprintf("interrupted after %s; run again to finish", plural(done, "article", "articles")), err: err}
		}
		return writerError(ctx, err, c.db)
	}
	if !*quiet {
		fmt.Fprintf(e.stdout, "read %d, moved %d, relinked %d, compared %d, %s in %s\n",
			rs.Articles, rs.Moved, rs.Relinked, rs.Compared, plural(rs.Stories, "story", "stories"), time.Since(start).Round(time.Millisecond))
	}
	return nil
}
