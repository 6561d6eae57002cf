package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dossiernews/dossier/examples"
	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store"
)

func runDemo(ctx context.Context, e *env, args []string) error {
	flags, c := newFlags(e, "demo", "",
		"Ingests the bundled example corpus (invented events, outlets and noise) into a\n"+
			"fresh store and shows the stories. The store file is replaced.")
	// The demo never touches the everyday store unless told to.
	c.db = "dossier-demo.db"
	flags.Lookup("db").DefValue = c.db
	rest, err := parse(e, flags, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("demo takes no arguments")
	}
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		if err := os.Remove(c.db + suffix); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("fresh store: %w", err)
		}
	}
	dir, err := os.MkdirTemp("", "dossier-demo-")
	if err != nil {
		return fmt.Errorf("unpack examples: %w", err)
	}
	defer os.RemoveAll(dir)
	unpacked := filepath.Join(dir, "examples")
	if err := os.CopyFS(unpacked, examples.Corpus()); err != nil {
		return fmt.Errorf("unpack examples: %w", err)
	}
	corpus, shown := unpacked, func(s string) string {
		if rel, err := filepath.Rel(unpacked, s); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.Join("examples", rel)
		}
		return s
	}
	// From the repository, its examples folder is read itself, so that the
	// articles' sources are files that stay.
	if sameFiles(unpacked, "examples") {
		corpus, shown = "examples", nil
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	cfg := ingest.DefaultConfig()
	cfg.Who = "dossier demo"
	cfg.OnWait = waitNotice(e)
	fmt.Fprintf(e.stdout, "Ingesting the bundled examples into %s (one file is corrupt on purpose):\n", c.db)
	if _, err := ingestPaths(ctx, e, st, c, cfg, []string{corpus}, ingestOptions{shown: shown}); err != nil {
		return err
	}
	stories, _, err := listStories(ctx, st, store.StoryQuery{}, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\n%s\n\n", plural(len(stories), "story", "stories"))
	printStories(e.stdout, e.width, e.prog, stories)
	if len(stories) > 0 {
		fmt.Fprintf(e.stdout, "\nLook closer: %s story --db %s %s\n", e.prog, c.db, short(stories[0].ID))
	}
	return nil
}

// sameFiles reports whether the folders hold the same inputs, byte for byte.
func sameFiles(a, b string) bool {
	fa, pa := source.List([]string{a})
	fb, pb := source.List([]string{b})
	if len(pa) > 0 || len(pb) > 0 || len(fa) != len(fb) {
		return false
	}
	for i := range fa {
		ra, err1 := filepath.Rel(a, fa[i].Path)
		rb, err2 := filepath.Rel(b, fb[i].Path)
		if err1 != nil || err2 != nil || ra != rb {
			return false
		}
		da, err1 := os.ReadFile(fa[i].Path)
		db, err2 := os.ReadFile(fb[i].Path)
		if err1 != nil || err2 != nil || !bytes.Equal(da, db) {
			return false
		}
	}
	return true
}
