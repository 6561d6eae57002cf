package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/crawl"
	"github.com/dossiernews/dossier/internal/ident"
	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store"
)

func runRm(ctx context.Context, e *env, args []string) error {
	flags, c := newFlags(e, "rm", "[ID...]",
		"Removes articles from the store: by ID (any unique beginning will do), by the\n"+
			"file or folder they were read from, or all whose file no longer exists.\n"+
			"Copies of a removed article are matched again, and a story left empty goes.\n"+
			"Relative paths are taken from the current folder.")
	var sources []string
	flags.Func("source", "remove the articles read from `PATH`: a file, a JSONL file's lines,\nor every file under a folder (may be repeated)", func(s string) error {
		if s == "" {
			return errors.New("want a path")
		}
		sources = append(sources, s)
		return nil
	})
	missing := flags.Bool("missing", false, "remove the articles read from files that no longer exist")
	noWait := flags.Bool("no-wait", false, "fail at once when another process is writing to the store")
	refs, err := parse(e, flags, args)
	if err != nil {
		return err
	}
	if len(refs) == 0 && len(sources) == 0 && !*missing {
		return usagef("name what to remove: article IDs, --source PATH or --missing")
	}
	st, err := c.openExisting(ctx, e)
	if err != nil {
		return err
	}
	defer st.Close()
	cfg := ingest.DefaultConfig()
	cfg.Logger = c.logger(e.stderr)
	cfg.Who = "dossier rm"
	cfg.NoWait = *noWait
	cfg.OnWait = waitNotice(e)
	// The lock comes first, so that what is found is what gets removed.
	in, err := ingest.New(ctx, st, cfg)
	if err != nil {
		return writerError(ctx, err, c.db)
	}
	defer in.Close()

	var ids []string
	seen := map[string]bool{}
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, ref := range refs {
		id, err := resolve(ctx, st, store.KindArticle, ref)
		if err != nil {
			return err
		}
		add(id)
	}
	if len(sources) > 0 || *missing {
		found, err := articleFiles(ctx, st)
		if err != nil {
			return err
		}
		for _, src := range sources {
			matched, err := fromSource(found, src)
			if err != nil {
				return err
			}
			for _, id := range matched {
				add(id)
			}
		}
		if *missing {
			for _, f := range found {
				if f.path == "" {
					continue
				}
				if _, err := os.Stat(f.path); errors.Is(err, fs.ErrNotExist) {
					add(f.id)
				}
			}
		}
	}
	if ids, err = copiesFirst(ctx, st, ids); err != nil {
		return err
	}
	rs, err := in.Remove(ctx, ids)
	if err != nil && ctx.Err() != nil {
		return &interruptedError{msg: fmt.Sprintf("interrupted after removing %d of %s; run again to go on",
			rs.Removed, plural(len(ids), "article", "articles")), err: err}
	}
	if err != nil && rs.Removed == 0 {
		return err
	}
	fmt.Fprintf(e.stdout, "removed %s, relinked %s, stories touched %d\n",
		plural(rs.Removed, "article", "articles"), plural(rs.Relinked, "copy", "copies"), rs.StoriesTouched)
	if cerr := in.Close(); cerr != nil && err == nil {
		err = cerr
	}
	return err
}

// copiesFirst orders ids so that copies go before originals: a copy
// removed with its original then is not matched again for nothing.
func copiesFirst(ctx context.Context, st store.Store, ids []string) ([]string, error) {
	var copies, originals []string
	for _, id := range ids {
		saved, found, err := st.Saved(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("article %s: %w", short(id), err)
		}
		if found && saved.DuplicateOf != "" {
			copies = append(copies, id)
		} else {
			originals = append(originals, id)
		}
	}
	return append(copies, originals...), nil
}

// articleFile is a stored article and the file it was read from.
type articleFile struct {
	id string
	// path is the file's absolute path, "" for standard input; line is
	// "#N" for a JSONL file's line N.
	path, line string
}

var lineSuffix = regexp.MustCompile(`#[0-9]+$`)

// articleFiles lists every stored article with the file it came from. The
// identity key recorded at ingest holds the absolute path; the source as
// given (maybe relative) stands in when the key is a URL.
func articleFiles(ctx context.Context, st store.Store) ([]articleFile, error) {
	var all []dossier.Article
	// Sources first, keys after: no query runs inside another's rows.
	err := st.Articles(ctx, func(a dossier.Article) error {
		all = append(all, dossier.Article{ID: a.ID, Source: a.Source})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	out := make([]articleFile, 0, len(all))
	for _, a := range all {
		f := articleFile{id: a.ID, line: lineSuffix.FindString(a.Source)}
		saved, found, err := st.Saved(ctx, a.ID)
		if err != nil {
			return nil, fmt.Errorf("article %s: %w", short(a.ID), err)
		}
		if found {
			f.path = ident.KeyPath(saved.SourceKey)
		}
		// A page fetched from the web has no file to go missing.
		if f.path == "" && a.Source != source.Stdin && a.Source != "" && !crawl.IsURL(a.Source) {
			if abs, err := filepath.Abs(strings.TrimSuffix(a.Source, f.line)); err == nil {
				f.path = abs
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// fromSource returns the articles read from src: the file itself, one
// line of it (PATH#N), or any file under it.
func fromSource(found []articleFile, src string) ([]string, error) {
	abs, err := filepath.Abs(src)
	if err != nil {
		return nil, fmt.Errorf("--source %s: %w", src, err)
	}
	under := abs
	if !strings.HasSuffix(under, string(filepath.Separator)) {
		under += string(filepath.Separator)
	}
	var ids []string
	for _, f := range found {
		if f.path == "" {
			continue
		}
		if f.path == abs || f.path+f.line == abs || strings.HasPrefix(f.path, under) {
			ids = append(ids, f.id)
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("--source %s: no stored article was read from %s", src, abs)
	}
	return ids, nil
}
