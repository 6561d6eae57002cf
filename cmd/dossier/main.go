// Command dossier turns messy multi-outlet news coverage into clean,
// comparable stories. main only dispatches; each subcommand has its own file.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/dossiernews/dossier/internal/store/sqlite"
)

// env is what a command may touch of the outside world, so tests can run
// commands in-process with their own streams and variables.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// stderrIsTerminal enables the progress bar.
	stderrIsTerminal bool
}

type command struct {
	name, summary string
	run           func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"ingest", "read files, folders or - (stdin) into the store", runIngest},
		{"stories", "list the stories", runStories},
		{"story", "show one story: articles, speakers, quotes", runStory},
		{"article", "show one article: metadata and clean text", runArticle},
		{"export", "write articles.jsonl and stories.jsonl", runExport},
		{"demo", "ingest the bundled examples into a fresh store and show the stories", runDemo},
	}
}

// errUsage marks a mistake in how the command was called (exit status 2).
var errUsage = errors.New("usage")

// errPartial marks a run that did its work but skipped some inputs (exit status 3).
var errPartial = errors.New("some inputs failed")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, stderrIsTerminal: isTerminal(os.Stderr)}
	os.Exit(run(ctx, e, os.Args[1:]))
}

func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, e, args[1:])
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			fmt.Fprintf(e.stderr, "dossier %s: %v\n", c.name, err)
			return 2
		case errors.Is(err, errPartial):
			fmt.Fprintf(e.stderr, "dossier %s: %v\n", c.name, err)
			return 3
		default:
			fmt.Fprintf(e.stderr, "dossier %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(e.stderr, "dossier: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Dossier turns news coverage from many outlets into clean, comparable stories.")
	fmt.Fprintln(w, "\nUsage: dossier COMMAND [flags] [args]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nEvery command takes --db PATH (default $DOSSIER_DB, else dossier.db) and --help.")
}

// common holds the flags every command takes.
type common struct {
	db      string
	verbose bool
}

func newFlags(e *env, name, argsHelp, help string) (*flag.FlagSet, *common) {
	fs := flag.NewFlagSet("dossier "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	c := &common{}
	def := e.getenv("DOSSIER_DB")
	if def == "" {
		def = "dossier.db"
	}
	fs.StringVar(&c.db, "db", def, "the store: a SQLite file (also $DOSSIER_DB)")
	fs.BoolVar(&c.verbose, "verbose", false, "log every article")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: dossier %s [flags] %s\n\n%s\n\nFlags:\n", name, argsHelp, help)
		fs.PrintDefaults()
	}
	return fs, c
}

// parse accepts flags before, between and after positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

func (c *common) logger(e *env) *slog.Logger {
	level := slog.LevelWarn
	if c.verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
}

func (c *common) open(ctx context.Context) (*sqlite.Store, error) {
	st, err := sqlite.Open(ctx, c.db)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", c.db, err)
	}
	return st, nil
}

// openForID parses the flags of a command that takes one ID, and opens the store.
func openForID(ctx context.Context, e *env, name, help, what string, args []string) (string, *sqlite.Store, error) {
	fs, c := newFlags(e, name, "ID", help)
	rest, err := parse(fs, args)
	if err != nil {
		return "", nil, err
	}
	if len(rest) != 1 {
		return "", nil, fmt.Errorf("%w: %s takes one %s", errUsage, name, what)
	}
	st, err := c.open(ctx)
	if err != nil {
		return "", nil, err
	}
	return rest[0], st, nil
}

func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
