// Command dossier turns messy multi-outlet news coverage into clean,
// comparable stories. main only dispatches; each subcommand has its own file.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"

	"golang.org/x/term"

	"github.com/dossiernews/dossier/internal/store"
	"github.com/dossiernews/dossier/internal/store/postgres"
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
	// stdinIsTerminal: reading "-" then waits for someone to type.
	stdinIsTerminal bool
	// width is the terminal's when stdout is one, else 0: tables cut
	// long cells to fit a screen, never a file or a pipe.
	width int
	// prog is how the user ran dossier, for hints that name a command:
	// "dossier", "./dossier" or "go run ./cmd/dossier".
	prog string
	// self is this program's executable, which dossier serve runs its
	// ingests in; "" when commands run in a test's process, which ingests
	// in its own.
	self string
}

type command struct {
	name, summary string
	run           func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"ingest", "read files, folders, - (stdin), web archives, feeds or URLs into the store", runIngest},
		{"work", "prepare and apply the documents queued in a PostgreSQL store, beside other workers", runWork},
		{"stories", "list the stories", runStories},
		{"story", "show one story: articles, speakers, quotes", runStory},
		{"article", "show one article: metadata and clean text", runArticle},
		{"search", "find articles or quotes by words, phrases, speaker, outlet, language, date", runSearch},
		{"outlets", "list the outlets: who broke stories first, who re-ran others' copy", runOutlets},
		{"templates", "list the outlets' learned furniture (menus, footers), or one outlet's lines", runTemplates},
		{"rm", "remove articles by ID, by source, or whose file is gone", runRm},
		{"sources", "add, remove or list the feeds and sitemaps that watch polls", runSources},
		{"watch", "poll the sources on a schedule and ingest what is new", runWatch},
		{"recluster", "rebuild copies and stories from the stored articles after a change of settings", runRecluster},
		{"serve", "serve the store in a browser and as a JSON API", runServe},
		{"export", "write articles.jsonl and stories.jsonl", runExport},
		{"migrate", "copy a SQLite store into an empty PostgreSQL one", runMigrate},
		{"demo", "ingest the bundled examples into a fresh store and show the stories", runDemo},
		{"bench", "measure speed, memory and accuracy on a generated corpus", runBench},
		{"version", "print the version", runVersion},
	}
}

// usageError is a mistake in how a command was called (exit status 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// errPartial marks a run that did its work but skipped some inputs (exit status 3).
var errPartial = errors.New("not every input could be read")

// interruptedError says how far an interrupted command got.
type interruptedError struct {
	msg string
	err error
}

func (e *interruptedError) Error() string { return e.msg }
func (e *interruptedError) Unwrap() error { return e.err }

// signalCause is the cause of the context's end when a signal arrived.
type signalCause struct{ sig os.Signal }

func (s signalCause) Error() string { return "received " + s.sig.String() }

// defaultMemoryLimit is the Go heap's soft limit unless GOMEMLIMIT sets
// one. The streaming state is bounded, but the collector lets the heap
// grow to twice what is live: at 100,000 articles that peaked at 1.9 GiB,
// with this limit at 1.4 GiB (dossier bench --n 100000), for about a tenth
// more time in dedup and cluster. It is soft: a heap that needs more gets
// more, at the cost of collecting more often.
const defaultMemoryLimit = 1100 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-sigs
		// Default handling is back: a second signal kills at once.
		signal.Reset(os.Interrupt, syscall.SIGTERM)
		cancel(signalCause{s})
	}()
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv,
		stderrIsTerminal: isTerminal(os.Stderr), stdinIsTerminal: isTerminal(os.Stdin), prog: progName(os.Args[0])}
	if self, err := os.Executable(); err == nil {
		e.self = self
	}
	if isTerminal(os.Stdout) {
		if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil {
			e.width = w
		}
	}
	os.Exit(run(ctx, e, os.Args[1:]))
}

// progName is what to type to run this program again: "go run
// ./cmd/dossier" when go run built it into its temporary folder, else what
// the shell was given ("dossier", "./dossier").
func progName(arg0 string) string {
	if strings.Contains(arg0, "go-build") {
		return "go run ./cmd/dossier"
	}
	return arg0
}

func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		usage(e.stderr)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help":
		usage(e.stdout)
		return 0
	case "help":
		switch len(args) {
		case 1:
			usage(e.stdout)
			return 0
		case 2:
			if c, ok := lookup(args[1]); ok {
				return status(ctx, e, c.name, c.run(ctx, e, []string{"--help"}))
			}
			fmt.Fprintf(e.stderr, "dossier help: no command %q\nRun 'dossier help' for the commands.\n", args[1])
			return 2
		}
		fmt.Fprintln(e.stderr, "dossier help: name one command\nRun 'dossier help' for the commands.")
		return 2
	case "-version", "--version":
		return status(ctx, e, "version", runVersion(ctx, e, nil))
	}
	c, ok := lookup(args[0])
	if !ok {
		if strings.HasPrefix(args[0], "-") {
			fmt.Fprintf(e.stderr, "dossier: flags go after the command: dossier COMMAND %s ...\nRun 'dossier help' for the commands.\n", args[0])
		} else {
			fmt.Fprintf(e.stderr, "dossier: unknown command %q\nRun 'dossier help' for the commands.\n", args[0])
		}
		return 2
	}
	return status(ctx, e, c.name, c.run(ctx, e, args[1:]))
}

func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// status reports err, once, and returns the exit status it calls for.
func status(ctx context.Context, e *env, name string, err error) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	prefix := "dossier " + name + ": "
	if ctx.Err() != nil {
		msg := "interrupted"
		var ie *interruptedError
		if errors.As(err, &ie) {
			msg = ie.msg
		}
		fmt.Fprintln(e.stderr, prefix+msg)
		// 130 for SIGTERM too: scripts test one status for "interrupted,
		// run again", whichever signal stopped the run.
		return 130
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(e.stderr, "%s%s\nRun 'dossier %s --help' for usage.\n", prefix, ue.msg, name)
		return 2
	}
	// Packages prefix their errors with their own name; the command's is enough.
	msg := strings.TrimPrefix(err.Error(), name+": ")
	msg = strings.TrimPrefix(msg, "ingest: ")
	fmt.Fprintln(e.stderr, prefix+msg)
	if errors.Is(err, errPartial) {
		return 3
	}
	return 1
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Dossier turns news coverage from many outlets into clean, comparable stories.")
	fmt.Fprintln(w, "\nUsage: dossier COMMAND [flags] [args]\n\nCommands:")
	width := 0
	for _, c := range commands() {
		width = max(width, len(c.name))
	}
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-*s %s\n", width, c.name, c.summary)
	}
	fmt.Fprintln(w, "\nThe commands that read or write a store take --db PATH (default $DOSSIER_DB,\nelse dossier.db); every command takes --help.")
	fmt.Fprintln(w, "Run 'dossier help COMMAND' for a command's flags.")
}

func runVersion(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("dossier version", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() { fmt.Fprintln(fs.Output(), "Usage: dossier version\n\nPrints the version of this build.") }
	rest, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("version takes no arguments")
	}
	fmt.Fprintln(e.stdout, "dossier", version())
	return nil
}

// version is the main module's version and VCS revision as the build
// recorded them, or "devel".
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	v := bi.Main.Version
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", modified"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" && !strings.Contains(v, rev) {
		v += " (" + rev + modified + ")"
	}
	return v
}

// common holds the flags every command takes.
type common struct {
	db      string
	verbose bool
}

func newFlags(e *env, name, argsHelp, help string) (*flag.FlagSet, *common) {
	fs := flag.NewFlagSet("dossier "+name, flag.ContinueOnError)
	// parse reports errors itself, once; help goes to stdout.
	fs.SetOutput(io.Discard)
	c := &common{}
	def := e.getenv("DOSSIER_DB")
	if def == "" {
		def = "dossier.db"
	}
	fs.StringVar(&c.db, "db", def, "the store: a SQLite file at `PATH`, or a postgres:// URL (also $DOSSIER_DB)")
	fs.BoolVar(&c.verbose, "verbose", false, "log every article")
	if argsHelp != "" {
		argsHelp = " " + argsHelp
	}
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: dossier %s [flags]%s\n\n%s\n\nFlags:\n", name, argsHelp, help)
		printFlags(w, fs)
	}
	return fs, c
}

// printFlags lists flags the way they are typed, with two dashes.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		arg, help := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if arg != "" {
			line += " " + arg
		}
		switch f.DefValue {
		case "", "0", "false", "0s":
		default:
			switch arg {
			case "int", "float", "duration":
				help += " (default " + f.DefValue + ")"
			default:
				help += fmt.Sprintf(" (default %q)", f.DefValue)
			}
		}
		fmt.Fprintf(w, "%s\n    \t%s\n", line, strings.ReplaceAll(help, "\n", "\n    \t"))
	})
}

// parse accepts flags before, between and after positional arguments.
func parse(e *env, fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(e.stdout)
				fs.Usage()
				return nil, err
			}
			return nil, usagef("%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

func (c *common) logger(w io.Writer) *slog.Logger {
	level := slog.LevelWarn
	if c.verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level,
		// A person reads these as they happen: the time is noise.
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}}))
}

// open opens the store for writing, creating it when missing: a
// PostgreSQL database when --db is a postgres:// URL, else a SQLite file.
func (c *common) open(ctx context.Context) (store.Store, error) {
	if postgres.IsURL(c.db) {
		// The URL may hold a password: postgres's errors name the
		// database without it.
		return postgres.Open(ctx, c.db)
	}
	dir := filepath.Dir(c.db)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return nil, fmt.Errorf("no folder %s for the store %s", dir, c.db)
	}
	// sqlite's errors name the file already.
	return sqlite.Open(ctx, c.db)
}

// openExisting opens a store that must exist already: reading a mistyped
// path must not leave an empty store behind. A database server's store is
// made by its first connection.
func (c *common) openExisting(ctx context.Context, e *env) (store.Store, error) {
	if postgres.IsURL(c.db) {
		return c.open(ctx)
	}
	if _, err := os.Stat(c.db); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no store at %s: make one with %s ingest --db %s PATH...", c.db, e.prog, c.db)
	}
	return c.open(ctx)
}

func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
