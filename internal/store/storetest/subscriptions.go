package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/dossiernews/dossier/internal/store"
)

// testSubscriptions: subscriptions are listed in the order first added;
// putting one again replaces its poll state but keeps its place and the
// time it was added; removing says whether there was one.
func testSubscriptions(t *testing.T, st store.Store) {
	ctx := context.Background()
	if subs, err := st.Subscriptions(ctx); err != nil || len(subs) != 0 {
		t.Fatalf("Subscriptions of an empty store = %v, %v; want none", subs, err)
	}
	added := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	polled := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	feed := store.Subscription{URL: "https://harbour-gazette.example/feed.xml", Added: added}
	sitemap := store.Subscription{URL: "https://valley-courier.example/news-sitemap.xml", Added: added.Add(time.Hour)}
	for _, s := range []store.Subscription{feed, sitemap} {
		if err := st.PutSubscription(ctx, s); err != nil {
			t.Fatalf("PutSubscription %s: %v", s.URL, err)
		}
	}
	// A poll's outcome, put again with another Added: Added stays.
	polledFeed := store.Subscription{URL: feed.URL, Added: added.Add(48 * time.Hour), LastPoll: polled, Status: "failed",
		Error: "2 pages failed", New: 7, ETag: `"v12"`, LastModified: "Mon, 02 Mar 2026 09:00:00 GMT",
		Items: map[string]string{"https://harbour-gazette.example/a/1": "g1|2026-03-02", "https://harbour-gazette.example/a/2": "g2|"}}
	if err := st.PutSubscription(ctx, polledFeed); err != nil {
		t.Fatalf("PutSubscription again: %v", err)
	}
	want := []store.Subscription{
		{URL: feed.URL, Added: added, LastPoll: polled, Status: "failed", Error: "2 pages failed", New: 7, ETag: `"v12"`, LastModified: "Mon, 02 Mar 2026 09:00:00 GMT",
			Items: polledFeed.Items},
		{URL: sitemap.URL, Added: sitemap.Added},
	}
	check := func(want []store.Subscription) {
		t.Helper()
		got, err := st.Subscriptions(ctx)
		if err != nil {
			t.Fatalf("Subscriptions: %v", err)
		}
		if len(got) != len(want) {
			t.Fatalf("Subscriptions = %+v, want %+v", got, want)
		}
		for i := range got {
			g, w := got[i], want[i]
			if !g.Added.Equal(w.Added) || !g.LastPoll.Equal(w.LastPoll) {
				t.Errorf("%s: added %v, last poll %v; want %v, %v", g.URL, g.Added, g.LastPoll, w.Added, w.LastPoll)
			}
			g.Added, g.LastPoll, w.Added, w.LastPoll = time.Time{}, time.Time{}, time.Time{}, time.Time{}
			if !reflect.DeepEqual(g, w) {
				t.Errorf("subscription %d = %+v, want %+v", i, g, w)
			}
		}
	}
	check(want)
	if found, err := st.RemoveSubscription(ctx, feed.URL); err != nil || !found {
		t.Fatalf("RemoveSubscription = %v, %v; want found", found, err)
	}
	if found, err := st.RemoveSubscription(ctx, feed.URL); err != nil || found {
		t.Fatalf("RemoveSubscription of a removed one = %v, %v; want not found", found, err)
	}
	check(want[1:])
	// Added again, it comes last.
	if err := st.PutSubscription(ctx, feed); err != nil {
		t.Fatal(err)
	}
	check([]store.Subscription{want[1], {URL: feed.URL, Added: added}})
	if err := st.PutSubscription(ctx, store.Subscription{}); err == nil {
		t.Error("PutSubscription without a URL: no error")
	}
}
