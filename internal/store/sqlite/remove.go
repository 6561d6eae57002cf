package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/dossiernews/dossier/internal/store"
)

// Remove deletes article id with its quotes and source rows, drops its story
// when left empty and records the move out, in one transaction. Articles
// stored as its copies are left as they are: re-linking them is the
// caller's decision.
func (s *Store) Remove(ctx context.Context, id, reason string) error {
	if err := s.remove(ctx, id, reason); err != nil {
		return fmt.Errorf("sqlite: remove %s: %w", id, err)
	}
	return nil
}

func (s *Store) remove(ctx context.Context, id, reason string) error {
	return s.inTx(ctx, func(tx *wtx) (err error) {
		var story sql.NullString
		var old store.Contribution
		var ns, off sql.NullInt64
		err = tx.st(ctx, s.stmt.existing).QueryRowContext(ctx, id).Scan(&story, &old.Seq, &old.Outlet, &ns, &off)
		if err == nil {
			old.Published, err = decodeTime(ns, off)
		}
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return store.ErrNotFound
		case err != nil:
			return fmt.Errorf("read: %w", err)
		}
		if err = s.unindexArticle(ctx, tx, old.Seq); err != nil {
			return err
		}
		// Its quotes and source rows go with it (ON DELETE CASCADE).
		if _, err = tx.ExecContext(ctx, `DELETE FROM articles WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete: %w", err)
		}
		if story.Valid {
			if err = s.stale(ctx, tx, story.String); err != nil {
				return err
			}
			if err = s.retally(ctx, tx, story.String, &old, nil); err != nil {
				return err
			}
		}
		if err = recordMove(ctx, tx.st(ctx, s.stmt.move), id, story.String, "", reason); err != nil {
			return err
		}
		return nil
	})
}

// Moves returns the moves of articles into or out of storyID, oldest first.
// The story need not exist any more.
func (s *Store) Moves(ctx context.Context, storyID string) ([]store.Move, error) {
	if storyID == "" {
		return nil, nil // no story is called ""; "" marks arrivals and removals
	}
	moves, err := s.moves(ctx, storyID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: moves of %s: %w", storyID, err)
	}
	return moves, nil
}

func (s *Store) moves(ctx context.Context, storyID string) ([]store.Move, error) {
	q, err := s.reader(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, movesQuery, storyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Move
	for rows.Next() {
		var m store.Move
		var at sql.NullString
		if err := rows.Scan(&m.Article, &m.From, &m.To, &m.Reason, &at); err != nil {
			return nil, err
		}
		if m.At, err = decodeText(at); err != nil {
			return nil, fmt.Errorf("move of %s: %w", m.Article, err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

const movesQuery = `SELECT article_id, from_story, to_story, reason, at FROM moves
	WHERE from_story = ?1 OR to_story = ?1 ORDER BY seq`
