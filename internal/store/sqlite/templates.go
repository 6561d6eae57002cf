package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/dossiernews/dossier/internal/store"
)

// PutTemplate implements store.Store.
func (s *Store) PutTemplate(ctx context.Context, t store.Template) error {
	if t.Outlet == "" {
		return errors.New("sqlite: put template: empty outlet")
	}
	lines, err := store.EncodeTemplateLines(t.Lines)
	if err != nil {
		return fmt.Errorf("sqlite: put template of %s: %w", t.Outlet, err)
	}
	err = s.inTx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO templates(outlet, version, lines, learned_at, pages, fresh)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT(outlet) DO UPDATE SET version = excluded.version, lines = excluded.lines,
				learned_at = excluded.learned_at, pages = excluded.pages, fresh = excluded.fresh`,
			t.Outlet, t.Version, lines, t.LearnedAt.UnixNano(), t.Pages, t.Fresh)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: put template of %s: %w", t.Outlet, err)
	}
	return nil
}

// Templates implements store.Store.
func (s *Store) Templates(ctx context.Context) ([]store.Template, error) {
	q, err := s.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: templates: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT outlet, version, lines, learned_at, pages, fresh FROM templates ORDER BY outlet`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: templates: %w", err)
	}
	defer rows.Close()
	var out []store.Template
	for rows.Next() {
		var t store.Template
		var lines string
		var at int64
		if err := rows.Scan(&t.Outlet, &t.Version, &lines, &at, &t.Pages, &t.Fresh); err != nil {
			return nil, fmt.Errorf("sqlite: templates: %w", err)
		}
		if t.Lines, err = store.DecodeTemplateLines(lines); err != nil {
			return nil, fmt.Errorf("sqlite: template of %s: %w", t.Outlet, err)
		}
		t.LearnedAt = time.Unix(0, at).UTC()
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: templates: %w", err)
	}
	return out, nil
}

// outletNewest is an outlet's articles newest first, for OutletArticles
// and OutletPages alike (NULL, undated, sorts last).
const outletNewest = `FROM articles a
	WHERE a.outlet_id = (SELECT id FROM outlets WHERE name = ?)
	ORDER BY a.pub_ns DESC, a.seq DESC LIMIT ?`

// OutletArticles implements store.Store; it reads the index
// articles_outlet_published backwards (NULL, undated, sorts last).
func (s *Store) OutletArticles(ctx context.Context, outlet string, limit int) ([]string, error) {
	q, err := s.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: articles of %s: %w", outlet, err)
	}
	if limit <= 0 {
		limit = -1
	}
	rows, err := q.QueryContext(ctx, `SELECT a.id `+outletNewest, outlet, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: articles of %s: %w", outlet, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlite: articles of %s: %w", outlet, err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: articles of %s: %w", outlet, err)
	}
	return out, nil
}

// OutletPages implements store.Store, in one read where loading each
// article would take two.
func (s *Store) OutletPages(ctx context.Context, outlet string, limit int) ([]store.OutletPage, error) {
	q, err := s.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: pages of %s: %w", outlet, err)
	}
	if limit <= 0 {
		limit = -1
	}
	rows, err := q.QueryContext(ctx, `SELECT a.id, COALESCE(a.story_id, ''), COALESCE(a.text, ''), COALESCE(a.furniture, '') `+outletNewest, outlet, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: pages of %s: %w", outlet, err)
	}
	defer rows.Close()
	var out []store.OutletPage
	for rows.Next() {
		var p store.OutletPage
		var furniture string
		if err := rows.Scan(&p.ID, &p.StoryID, &p.Text, &furniture); err != nil {
			return nil, fmt.Errorf("sqlite: pages of %s: %w", outlet, err)
		}
		if p.Furniture, err = store.DecodeFurniture(furniture); err != nil {
			return nil, fmt.Errorf("sqlite: pages of %s: article %s: %w", outlet, p.ID, err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: pages of %s: %w", outlet, err)
	}
	return out, nil
}

// AddReclean implements store.Store.
func (s *Store) AddReclean(ctx context.Context, r store.Reclean) error {
	err := s.inTx(ctx, func(tx *wtx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM articles WHERE id = ?`, r.Article).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO recleans(article_id, at, version, removed, restored) VALUES (?, ?, ?, ?, ?)`,
			r.Article, r.At.UnixNano(), r.Version, r.Removed, r.Restored)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: reclean of %s: %w", r.Article, err)
	}
	return nil
}

// Recleans implements store.Store.
func (s *Store) Recleans(ctx context.Context, articleID string) ([]store.Reclean, error) {
	q, err := s.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: recleans of %s: %w", articleID, err)
	}
	rows, err := q.QueryContext(ctx, `SELECT article_id, at, version, removed, restored FROM recleans
		WHERE article_id = ? ORDER BY seq`, articleID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: recleans of %s: %w", articleID, err)
	}
	defer rows.Close()
	var out []store.Reclean
	for rows.Next() {
		var r store.Reclean
		var at int64
		if err := rows.Scan(&r.Article, &at, &r.Version, &r.Removed, &r.Restored); err != nil {
			return nil, fmt.Errorf("sqlite: recleans of %s: %w", articleID, err)
		}
		r.At = time.Unix(0, at).UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: recleans of %s: %w", articleID, err)
	}
	return out, nil
}

// AddTaught implements store.Store.
func (s *Store) AddTaught(ctx context.Context, counts map[string]int) error {
	if len(counts) == 0 {
		return nil
	}
	err := s.inTx(ctx, func(tx *wtx) error {
		for o, n := range counts {
			if _, err := tx.ExecContext(ctx, `INSERT INTO template_taught(outlet, n) VALUES (?, ?)
				ON CONFLICT(outlet) DO UPDATE SET n = n + excluded.n`, o, n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: add taught: %w", err)
	}
	return nil
}

// Taught implements store.Store.
func (s *Store) Taught(ctx context.Context) (map[string]int, error) {
	q, err := s.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: taught: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT outlet, n FROM template_taught`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: taught: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var o string
		var n int
		if err := rows.Scan(&o, &n); err != nil {
			return nil, fmt.Errorf("sqlite: taught: %w", err)
		}
		out[o] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: taught: %w", err)
	}
	return out, nil
}

// ClearTaught implements store.Store.
func (s *Store) ClearTaught(ctx context.Context) error {
	err := s.inTx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM template_taught`)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: clear taught: %w", err)
	}
	return nil
}
