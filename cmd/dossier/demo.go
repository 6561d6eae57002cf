package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/dossiernews/dossier/examples"
	"github.com/dossiernews/dossier/internal/ingest"
)

func runDemo(ctx context.Context, e *env, args []string) error {
	flags, c := newFlags(e, "demo", "",
		"Ingests the bundled example corpus (invented events, outlets and noise) into a\n"+
			"fresh store and shows the stories. The store file is replaced.")
	// The demo never touches the everyday store unless told to.
	c.db = "dossier-demo.db"
	flags.Lookup("db").DefValue = c.db
	rest, err := parse(flags, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("%w: demo takes no arguments", errUsage)
	}
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		if err := os.Remove(c.db + suffix); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("fresh store: %w", err)
		}
	}
	dir, err := os.MkdirTemp("", "dossier-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	corpus := filepath.Join(dir, "examples")
	if err := os.CopyFS(corpus, examples.Corpus()); err != nil {
		return fmt.Errorf("unpack examples: %w", err)
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	cfg := ingest.DefaultConfig()
	cfg.Logger = c.logger(e)
	fmt.Fprintf(e.stdout, "Ingesting the bundled examples into %s (one file is corrupt on purpose):\n", c.db)
	if _, err := ingestPaths(ctx, e, st, cfg, []string{corpus}, false); err != nil {
		return err
	}
	stories, err := st.Stories(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\n%d stories\n\n", len(stories))
	printStories(e.stdout, stories)
	if len(stories) > 0 {
		fmt.Fprintf(e.stdout, "\nLook closer: dossier story --db %s %s\n", c.db, stories[0].ID)
	}
	return nil
}
