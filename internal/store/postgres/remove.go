package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dossiernews/dossier/internal/store"
)

// Remove deletes article id with its quotes and sources, drops its story
// when left empty and records the move out, in one transaction.
func (s *Store) Remove(ctx context.Context, id, reason string) error {
	if err := s.remove(ctx, id, reason); err != nil {
		return fmt.Errorf("postgres: remove %s: %w", id, err)
	}
	return nil
}

func (s *Store) remove(ctx context.Context, id, reason string) error {
	if checkText("id", id, "reason", reason) != nil {
		return store.ErrNotFound
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var story *string
		var old store.Contribution
		var ns, off *int64
		err := tx.QueryRow(ctx, existingQuery, id).Scan(&story, &old.Seq, &old.Outlet, &ns, &off)
		switch {
		case noRows(err):
			return store.ErrNotFound
		case err != nil:
			return fmt.Errorf("read: %w", err)
		}
		if old.Published, err = decodeTime(ns, off); err != nil {
			return fmt.Errorf("read: %w", err)
		}
		if _, err = tx.Exec(ctx, `DELETE FROM articles WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete: %w", err)
		}
		if story != nil {
			if err = stale(ctx, tx, *story); err != nil {
				return err
			}
			if err = retally(ctx, tx, *story, &old, nil); err != nil {
				return err
			}
		}
		return recordMove(ctx, tx, id, orEmpty(story), "", reason)
	})
}

// Moves returns the moves of articles into or out of storyID, oldest first.
func (s *Store) Moves(ctx context.Context, storyID string) ([]store.Move, error) {
	if storyID == "" || checkText("story", storyID) != nil {
		return nil, nil
	}
	q, _, err := s.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: moves of %s: %w", storyID, err)
	}
	rows, err := q.Query(ctx, `SELECT article_id, from_story, to_story, reason, at FROM moves
		WHERE from_story = $1 OR to_story = $1 ORDER BY seq`, storyID)
	if err != nil {
		return nil, fmt.Errorf("postgres: moves of %s: %w", storyID, err)
	}
	defer rows.Close()
	var out []store.Move
	for rows.Next() {
		var m store.Move
		var at string
		if err := rows.Scan(&m.Article, &m.From, &m.To, &m.Reason, &at); err != nil {
			return nil, fmt.Errorf("postgres: moves of %s: %w", storyID, err)
		}
		if at != "" {
			if m.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
				return nil, fmt.Errorf("postgres: move of %s: %w", m.Article, err)
			}
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: moves of %s: %w", storyID, err)
	}
	return out, nil
}
