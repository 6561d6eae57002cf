package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/dossiernews/dossier/internal/ingest"
	"github.com/dossiernews/dossier/internal/store/postgres"
	"github.com/dossiernews/dossier/internal/web"
)

// serveIngester is the hidden first argument that makes serve the child
// that runs a server's ingests (web.ServeIngester).
const serveIngester = "--ingester"

func runServe(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == serveIngester {
		return runServeIngester(ctx, e, args[1:])
	}
	fs, c := newFlags(e, "serve", "",
		"Serves the store in a browser and as a JSON API under /api/v1 (documented at\n"+
			"/api/v1/openapi.json). Writes need the token: $DOSSIER_TOKEN, else one made at\n"+
			"first start and kept beside the store in PATH.token (mode 0600); it is printed\n"+
			"when made. Pages sign in with it once; the API takes it as a bearer header.\n"+
			"On loopback, reads are open, and --open lets writes through too; elsewhere reads\n"+
			"need the token unless --public. Ctrl-C stops it once requests in flight end.")
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `HOST:PORT`")
	open := fs.Bool("open", false, "on loopback, let writes through without the token")
	public := fs.Bool("public", false, "off loopback, let reads through without the token")
	readOnly := fs.Bool("read-only", false, "take no writes (for a read replica): no uploads, no API posts, no --watch, no token file made")
	watch := fs.Duration("watch", 0, "poll the sources of dossier sources every `DURATION` (as dossier watch does; 0: never)")
	jitter := fs.Float64("jitter", 0.1, "with --watch, share in [0, 1) of the period by which each wait is drawn longer or shorter")
	webs := webFlags(fs, false)
	rest, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) > 0:
		return usagef("serve takes no arguments")
	case *watch != 0 && *watch < time.Second:
		return usagef("--watch must be at least 1s (or 0: never)")
	case *jitter < 0 || *jitter >= 1:
		return usagef("--jitter must be in [0, 1)")
	case *readOnly && (*watch > 0 || *open):
		return usagef("--read-only takes no writes: leave out --watch and --open")
	}
	if err := webs.validate(); err != nil {
		return err
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	token, made, err := serverToken(e, c.db, *readOnly)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	loopback := isLoopback(ln.Addr())
	if *open && !loopback {
		ln.Close()
		return usagef("--open works on loopback only; %s is reachable from other machines", *addr)
	}
	// The access log is on: a server's operator reads it afterwards.
	level := slog.LevelInfo
	if c.verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
	cfg := ingest.DefaultConfig()
	cfg.Who = "dossier serve"
	dbPath := c.db // for the store size metric
	if postgres.IsURL(c.db) {
		dbPath = ""
	}
	var runner web.Runner
	var runDocuments documentsRunner // the watch's, in this process without a child
	if e.self != "" {
		// Ingests run niced in a child process, so pages keep the CPU:
		// uploads, API posts and the watch's polls alike.
		child := &web.ChildIngester{Exe: e.self, Args: []string{"serve", serveIngester}, Env: []string{"DOSSIER_DB=" + c.db}, Log: e.stderr}
		defer child.Close()
		runner, runDocuments = child.Run, child.RunDocuments
	}
	srv, err := web.New(web.Config{Store: st, DBPath: dbPath, Token: token, Loopback: loopback, Open: *open, Public: *public, ReadOnly: *readOnly,
		Ingest: cfg, Run: runner, Logger: log})
	if err != nil {
		ln.Close()
		return err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	switch {
	case made && *readOnly && loopback:
		// Reads are open on loopback and no write is taken: no token needed.
	case made && *readOnly:
		fmt.Fprintf(e.stdout, "token for reads (made for this run only): %s\n", token)
	case made:
		fmt.Fprintf(e.stdout, "token (made now, kept in %s; shown once): %s\n", tokenPath(c.db), token)
	}
	fmt.Fprintf(e.stdout, "serving %s at http://%s/\n", c.db, ln.Addr())
	log.Info("serving", "url", "http://"+ln.Addr().String()+"/", "db", c.db, "loopback", loopback, "open", *open, "public", *public)
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	// The watch polls beside the server; its stores take the writer lock
	// like the server's own ingests, so the two queue, never interleave.
	watched := make(chan struct{})
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	if *watch > 0 {
		wcfg := cfg
		wcfg.Who = "dossier serve (watch)"
		wcfg.Logger = log
		crawler := webs.crawler(log)
		go func() {
			defer close(watched)
			defer crawler.Close()
			_ = watchLoop(watchCtx, e, st, c, wcfg, crawler, schedule{every: *watch, jitter: *jitter, serving: true}, runDocuments)
		}()
	} else {
		close(watched)
	}
	select {
	case err := <-served:
		stopWatch()
		<-watched
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// A poll in flight stops; what it stored stays, what it had not is
	// fetched again at the next start.
	<-watched
	// Requests in flight finish; an ingest among them commits or rolls back whole.
	shut, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := hs.Shutdown(shut); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	fmt.Fprintln(e.stdout, "stopped")
	return nil
}

func tokenPath(db string) string { return db + ".token" }

// serverToken is $DOSSIER_TOKEN, else the one kept beside the store, else
// a new one written there (made reports that).
func serverToken(e *env, db string, readOnly bool) (token string, made bool, err error) {
	if t := strings.TrimSpace(e.getenv("DOSSIER_TOKEN")); t != "" {
		return t, false, nil
	}
	if postgres.IsURL(db) && !readOnly {
		// Every server of a shared store must take the same token.
		return "", false, usagef("a PostgreSQL store keeps no token file: set $DOSSIER_TOKEN (the same for every server of the store), or serve --read-only")
	}
	path := tokenPath(db)
	if !postgres.IsURL(db) {
		b, err := os.ReadFile(path)
		switch {
		case err == nil:
			if t := strings.TrimSpace(string(b)); t != "" {
				return t, false, nil
			}
		case !errors.Is(err, fs.ErrNotExist):
			return "", false, fmt.Errorf("token: %w", err)
		}
	}
	raw := make([]byte, 24)
	if _, err := rand.Read(raw); err != nil {
		return "", false, fmt.Errorf("token: %w", err)
	}
	token = hex.EncodeToString(raw)
	if readOnly {
		// Writes nothing: the token, for reads off loopback, lasts this run.
		return token, true, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return "", false, fmt.Errorf("token: %w", err)
	}
	if _, err := f.WriteString(token + "\n"); err != nil {
		f.Close()
		return "", false, fmt.Errorf("token: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", false, fmt.Errorf("token: %w", err)
	}
	return token, true, nil
}

func isLoopback(a net.Addr) bool {
	t, ok := a.(*net.TCPAddr)
	return ok && t.IP.IsLoopback()
}

// runServeIngester runs a server's ingests, jobs on standard input and
// answers on standard output, on the store of $DOSSIER_DB (or --db).
func runServeIngester(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "serve "+serveIngester, "", "")
	if _, err := parse(e, fs, args); err != nil {
		return err
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	cfg := ingest.DefaultConfig()
	cfg.Who = "dossier serve (ingest)"
	cfg.Logger = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	return web.ServeIngester(ctx, st, cfg, e.stdin, e.stdout)
}
