package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/dossiernews/dossier/internal/store"
)

// PutSubscription implements store.Store.
func (s *Store) PutSubscription(ctx context.Context, sub store.Subscription) error {
	if sub.URL == "" {
		return errors.New("sqlite: put subscription: empty URL")
	}
	added := sub.Added
	if added.IsZero() {
		added = time.Now()
	}
	var lastPoll any
	if !sub.LastPoll.IsZero() {
		lastPoll = sub.LastPoll.UnixNano()
	}
	items, err := store.EncodeItems(sub.Items)
	if err != nil {
		return fmt.Errorf("sqlite: put subscription %s: %w", sub.URL, err)
	}
	err = s.inTx(ctx, func(tx *wtx) error {
		// A replaced subscription keeps its place and the time it was added.
		_, err := tx.ExecContext(ctx, `INSERT INTO subscriptions
			(url, added, last_poll, status, error, new_articles, etag, last_modified, items)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(url) DO UPDATE SET last_poll = excluded.last_poll, status = excluded.status,
				error = excluded.error, new_articles = excluded.new_articles,
				etag = excluded.etag, last_modified = excluded.last_modified, items = excluded.items`,
			sub.URL, added.UnixNano(), lastPoll, sub.Status, sub.Error, sub.New, sub.ETag, sub.LastModified, items)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: put subscription %s: %w", sub.URL, err)
	}
	return nil
}

// RemoveSubscription implements store.Store.
func (s *Store) RemoveSubscription(ctx context.Context, url string) (bool, error) {
	var n int64
	err := s.inTx(ctx, func(tx *wtx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM subscriptions WHERE url = ?`, url)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return false, fmt.Errorf("sqlite: remove subscription %s: %w", url, err)
	}
	return n > 0, nil
}

// Subscriptions implements store.Store.
func (s *Store) Subscriptions(ctx context.Context) ([]store.Subscription, error) {
	q, err := s.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: subscriptions: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT url, added, last_poll, status, error, new_articles, etag, last_modified, items
		FROM subscriptions ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: subscriptions: %w", err)
	}
	defer rows.Close()
	var out []store.Subscription
	for rows.Next() {
		var sub store.Subscription
		var added int64
		var lastPoll sql.NullInt64
		var items string
		if err := rows.Scan(&sub.URL, &added, &lastPoll, &sub.Status, &sub.Error, &sub.New, &sub.ETag, &sub.LastModified, &items); err != nil {
			return nil, fmt.Errorf("sqlite: subscriptions: %w", err)
		}
		if sub.Items, err = store.DecodeItems(items); err != nil {
			return nil, fmt.Errorf("sqlite: subscription %s: %w", sub.URL, err)
		}
		sub.Added = time.Unix(0, added)
		if lastPoll.Valid {
			sub.LastPoll = time.Unix(0, lastPoll.Int64)
		}
		out = append(out, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: subscriptions: %w", err)
	}
	return out, nil
}
