package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/dossiernews/dossier/internal/crawl"
	"github.com/dossiernews/dossier/internal/ident"
	"github.com/dossiernews/dossier/internal/store"
)

func runSources(ctx context.Context, e *env, args []string) error {
	fs, c := newFlags(e, "sources", "add URL... | rm URL... | list",
		"Keeps the list of feeds and sitemaps that dossier watch polls, in the store.\n"+
			"add takes feed or sitemap URLs (http or https), rm forgets them, list shows\n"+
			"each with its last poll, status, articles new then, and error.")
	rest, err := parse(e, fs, args)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		return usagef("name what to do: add URL..., rm URL... or list")
	}
	verb, urls := rest[0], rest[1:]
	switch verb {
	case "add", "rm":
		if len(urls) == 0 {
			return usagef("sources %s: name at least one URL", verb)
		}
		for _, u := range urls {
			if !crawl.IsURL(u) {
				return usagef("sources %s: %q is no http or https URL", verb, u)
			}
			if _, err := ident.NormalizeURL(u); err != nil {
				return usagef("sources %s: %v", verb, err)
			}
		}
	case "list":
		if len(urls) > 0 {
			return usagef("sources list takes no arguments")
		}
	default:
		return usagef("sources: no action %q (add, rm or list)", verb)
	}
	st, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	subs, err := st.Subscriptions(ctx)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, s := range subs {
		known[s.URL] = true
	}
	switch verb {
	case "add":
		for _, u := range urls {
			if known[u] {
				fmt.Fprintf(e.stdout, "already watched: %s\n", u)
				continue
			}
			if err := st.PutSubscription(ctx, store.Subscription{URL: u, Added: time.Now()}); err != nil {
				return err
			}
			known[u] = true
			fmt.Fprintf(e.stdout, "added %s\n", u)
		}
	case "rm":
		missing := 0
		for _, u := range urls {
			found, err := st.RemoveSubscription(ctx, u)
			if err != nil {
				return err
			}
			if !found {
				missing++
				fmt.Fprintf(e.stderr, "not watched: %s\n", u)
				continue
			}
			fmt.Fprintf(e.stdout, "removed %s\n", u)
		}
		if missing > 0 {
			return fmt.Errorf("%w: %s not watched", errPartial, plural(missing, "URL", "URLs"))
		}
	case "list":
		printSubscriptions(e, subs)
	}
	return nil
}

func printSubscriptions(e *env, subs []store.Subscription) {
	if len(subs) == 0 {
		fmt.Fprintf(e.stdout, "no sources yet: %s sources add URL...\n", e.prog)
		return
	}
	rows := [][]string{{"URL", "LAST POLL", "STATUS", "NEW", "ERROR"}}
	for _, s := range subs {
		poll, status := "never", "-"
		if !s.LastPoll.IsZero() {
			poll, status = s.LastPoll.UTC().Format("2006-01-02 15:04"), s.Status
		}
		rows = append(rows, []string{s.URL, poll, status, strconv.Itoa(s.New), s.Error})
	}
	writeTable(e.stdout, e.width, "", []column{{max: 70, min: 24, give: 2}, {}, {}, {right: true}, {min: 10, give: 1}}, rows)
}
