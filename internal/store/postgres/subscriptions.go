package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dossiernews/dossier/internal/store"
)

// PutSubscription implements store.Store.
func (s *Store) PutSubscription(ctx context.Context, sub store.Subscription) error {
	if sub.URL == "" {
		return errors.New("postgres: put subscription: empty URL")
	}
	if err := checkText("url", sub.URL, "status", sub.Status, "error", sub.Error, "etag", sub.ETag, "last modified", sub.LastModified); err != nil {
		return fmt.Errorf("postgres: put subscription %s: %w", sub.URL, err)
	}
	items, err := store.EncodeItems(sub.Items)
	if err == nil {
		err = checkText("items", items)
	}
	if err != nil {
		return fmt.Errorf("postgres: put subscription %s: %w", sub.URL, err)
	}
	added := sub.Added
	if added.IsZero() {
		added = time.Now()
	}
	var lastPoll *int64
	if !sub.LastPoll.IsZero() {
		n := sub.LastPoll.UnixNano()
		lastPoll = &n
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		// A replaced subscription keeps its place and the time it was added.
		_, err := tx.Exec(ctx, `INSERT INTO subscriptions
			(url, added, last_poll, status, error, new_articles, etag, last_modified, items)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (url) DO UPDATE SET last_poll = excluded.last_poll, status = excluded.status,
				error = excluded.error, new_articles = excluded.new_articles,
				etag = excluded.etag, last_modified = excluded.last_modified, items = excluded.items`,
			sub.URL, added.UnixNano(), lastPoll, sub.Status, sub.Error, sub.New, sub.ETag, sub.LastModified, items)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: put subscription %s: %w", sub.URL, err)
	}
	return nil
}

// RemoveSubscription implements store.Store.
func (s *Store) RemoveSubscription(ctx context.Context, url string) (bool, error) {
	if checkText("url", url) != nil {
		return false, nil // no such URL can be stored
	}
	var n int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM subscriptions WHERE url = $1`, url)
		n = tag.RowsAffected()
		return err
	})
	if err != nil {
		return false, fmt.Errorf("postgres: remove subscription %s: %w", url, err)
	}
	return n > 0, nil
}

// Subscriptions implements store.Store.
func (s *Store) Subscriptions(ctx context.Context) ([]store.Subscription, error) {
	q, _, err := s.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: subscriptions: %w", err)
	}
	rows, err := q.Query(ctx, `SELECT url, added, last_poll, status, error, new_articles, etag, last_modified, items
		FROM subscriptions ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("postgres: subscriptions: %w", err)
	}
	defer rows.Close()
	var out []store.Subscription
	for rows.Next() {
		var sub store.Subscription
		var added int64
		var lastPoll *int64
		var items string
		if err := rows.Scan(&sub.URL, &added, &lastPoll, &sub.Status, &sub.Error, &sub.New, &sub.ETag, &sub.LastModified, &items); err != nil {
			return nil, fmt.Errorf("postgres: subscriptions: %w", err)
		}
		sub.Added = time.Unix(0, added)
		if lastPoll != nil {
			sub.LastPoll = time.Unix(0, *lastPoll)
		}
		if sub.Items, err = store.DecodeItems(items); err != nil {
			return nil, fmt.Errorf("postgres: subscription %s: %w", sub.URL, err)
		}
		out = append(out, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: subscriptions: %w", err)
	}
	return out, nil
}
