package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/dossiernews/dossier/internal/store"
)

// loadTally reads a story's aggregate; found is false for no such story.
func loadTally(ctx context.Context, q querier, id string) (t store.Tally, found bool, err error) {
	var b []byte
	err = q.QueryRowContext(ctx, `SELECT tally FROM stories WHERE id = ?`, id).Scan(&b)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return t, false, nil
	case err != nil:
		return t, false, err
	}
	t, err = store.DecodeTally(b)
	if err != nil {
		return t, true, fmt.Errorf("story %s: %w", id, err)
	}
	return t, true, nil
}

// rebuildTally aggregates a story anew from its articles.
func rebuildTally(ctx context.Context, q querier, id string) (store.Tally, error) {
	rows, err := q.QueryContext(ctx, `SELECT a.seq, COALESCE(o.name, ''), a.pub_ns, a.pub_off
		FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id
		WHERE a.story_id = ? ORDER BY a.seq`, id)
	if err != nil {
		return store.Tally{}, err
	}
	defer rows.Close()
	var t store.Tally
	for rows.Next() {
		c, err := scanContribution(rows)
		if err != nil {
			return store.Tally{}, fmt.Errorf("story %s: %w", id, err)
		}
		t.Add(c)
	}
	return t, rows.Err()
}

func scanContribution(row interface{ Scan(...any) error }) (store.Contribution, error) {
	var c store.Contribution
	var ns, off sql.NullInt64
	if err := row.Scan(&c.Seq, &c.Outlet, &ns, &off); err != nil {
		return c, err
	}
	var err error
	c.Published, err = decodeTime(ns, off)
	return c, err
}

// saveTally writes a story's new aggregate over old, keeping story_outlets
// in step; a story left without articles is dropped.
func (s *Store) saveTally(ctx context.Context, tx *wtx, id string, old, t store.Tally) error {
	if t.Articles <= 0 {
		if _, err := tx.st(ctx, s.stmt.dropStory).ExecContext(ctx, id); err != nil {
			return fmt.Errorf("drop emptied story %s: %w", id, err)
		}
		t = store.Tally{}
	} else {
		first, last := t.SortKeys()
		if _, err := tx.st(ctx, s.stmt.saveTally).ExecContext(ctx, store.EncodeTally(t), t.Articles, first, last, id); err != nil {
			return fmt.Errorf("story %s: tally: %w", id, err)
		}
	}
	was, now := old.OutletNames(), t.OutletNames()
	for _, name := range was {
		if !slices.Contains(now, name) {
			if _, err := tx.st(ctx, s.stmt.dropStoryOutlet).ExecContext(ctx, name, id); err != nil {
				return fmt.Errorf("story %s: outlet %q: %w", id, name, err)
			}
		}
	}
	for _, name := range now {
		if !slices.Contains(was, name) {
			if _, err := tx.st(ctx, s.stmt.addStoryOutlet).ExecContext(ctx, name, id); err != nil {
				return fmt.Errorf("story %s: outlet %q: %w", id, name, err)
			}
		}
	}
	return nil
}

// retally updates story id for one article leaving (out) and one arriving
// (in), either nil, rebuilding from the articles when the change cannot be
// made in place. The article rows must already be written.
func (s *Store) retally(ctx context.Context, tx *wtx, id string, out, in *store.Contribution) error {
	old, found, err := loadTally(ctx, tx, id)
	if err != nil || !found {
		return err
	}
	t, ok := old.Change(out, in)
	if !ok {
		if t, err = rebuildTally(ctx, tx, id); err != nil {
			return fmt.Errorf("story %s: rebuild tally: %w", id, err)
		}
	}
	return s.saveTally(ctx, tx, id, old, t)
}

// migrateTallies is migration 0004's step: every story's aggregate from
// its articles.
func migrateTallies(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM stories`)
	if err != nil {
		return err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, id := range ids {
		t, err := rebuildTally(ctx, tx, id)
		if err != nil {
			return err
		}
		first, last := t.SortKeys()
		if _, err := tx.ExecContext(ctx, saveTallyQuery, store.EncodeTally(t), t.Articles, first, last, id); err != nil {
			return fmt.Errorf("story %s: %w", id, err)
		}
		for _, name := range t.OutletNames() {
			if _, err := tx.ExecContext(ctx, addStoryOutletQuery, name, id); err != nil {
				return fmt.Errorf("story %s: %w", id, err)
			}
		}
	}
	return nil
}

// migrateTimes is migration 0004's step: RFC 3339 text to instant and offset.
func migrateTimes(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, published, ingested_at FROM articles
		WHERE published IS NOT NULL OR ingested_at IS NOT NULL`)
	if err != nil {
		return err
	}
	type times struct {
		id                           string
		pubNs, pubOff, ingNs, ingOff any
	}
	var all []times
	for rows.Next() {
		var id string
		var pub, ing sql.NullString
		if err := rows.Scan(&id, &pub, &ing); err != nil {
			rows.Close()
			return err
		}
		r := times{id: id}
		for _, c := range []struct {
			text    sql.NullString
			ns, off *any
		}{{pub, &r.pubNs, &r.pubOff}, {ing, &r.ingNs, &r.ingOff}} {
			t, err := decodeText(c.text)
			if err == nil {
				*c.ns, *c.off, err = encodeTime(t)
			}
			if err != nil {
				rows.Close()
				return fmt.Errorf("article %s: %w", id, err)
			}
		}
		all = append(all, r)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, r := range all {
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET pub_ns = ?, pub_off = ?, ing_ns = ?, ing_off = ? WHERE id = ?`,
			r.pubNs, r.pubOff, r.ingNs, r.ingOff, r.id); err != nil {
			return fmt.Errorf("article %s: %w", r.id, err)
		}
	}
	return nil
}

const (
	saveTallyQuery      = `UPDATE stories SET tally = ?, size = ?, first_ns = ?, last_ns = ? WHERE id = ?`
	addStoryOutletQuery = `INSERT INTO story_outlets(outlet_id, story_id)
		SELECT id, ?2 FROM outlets WHERE name = ?1 ON CONFLICT DO NOTHING`
	dropStoryOutletQuery = `DELETE FROM story_outlets
		WHERE outlet_id = (SELECT id FROM outlets WHERE name = ?1) AND story_id = ?2`
)
