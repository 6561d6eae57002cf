package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dossiernews/dossier/internal/store"
)

// PutTemplate implements store.Store.
func (s *Store) PutTemplate(ctx context.Context, t store.Template) error {
	if t.Outlet == "" {
		return errors.New("postgres: put template: empty outlet")
	}
	lines, err := store.EncodeTemplateLines(t.Lines)
	if err == nil {
		err = checkText("outlet", t.Outlet, "version", t.Version, "lines", lines)
	}
	if err != nil {
		return fmt.Errorf("postgres: put template of %s: %w", t.Outlet, err)
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO templates(outlet, version, lines, learned_at, pages, fresh)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (outlet) DO UPDATE SET version = excluded.version, lines = excluded.lines,
				learned_at = excluded.learned_at, pages = excluded.pages, fresh = excluded.fresh`,
			t.Outlet, t.Version, lines, t.LearnedAt.UnixNano(), t.Pages, t.Fresh)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: put template of %s: %w", t.Outlet, err)
	}
	return nil
}

// Templates implements store.Store.
func (s *Store) Templates(ctx context.Context) ([]store.Template, error) {
	q, _, err := s.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: templates: %w", err)
	}
	rows, err := q.Query(ctx, `SELECT outlet, version, lines, learned_at, pages, fresh FROM templates ORDER BY outlet`)
	if err != nil {
		return nil, fmt.Errorf("postgres: templates: %w", err)
	}
	defer rows.Close()
	var out []store.Template
	for rows.Next() {
		var t store.Template
		var lines string
		var at int64
		if err := rows.Scan(&t.Outlet, &t.Version, &lines, &at, &t.Pages, &t.Fresh); err != nil {
			return nil, fmt.Errorf("postgres: templates: %w", err)
		}
		if t.Lines, err = store.DecodeTemplateLines(lines); err != nil {
			return nil, fmt.Errorf("postgres: template of %s: %w", t.Outlet, err)
		}
		t.LearnedAt = time.Unix(0, at).UTC()
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: templates: %w", err)
	}
	return out, nil
}

// outletNewest is an outlet's articles newest first, for OutletArticles
// and OutletPages alike.
const outletNewest = `FROM articles a
	WHERE a.outlet_id = (SELECT id FROM outlets WHERE name = $1)
	ORDER BY a.pub_ns DESC NULLS LAST, a.seq DESC LIMIT $2`

// outletLimit is limit as outletNewest takes it: NULL for all.
func outletLimit(limit int) *int64 {
	if limit <= 0 {
		return nil
	}
	n := int64(limit)
	return &n
}

// OutletArticles implements store.Store; it reads the index
// articles_outlet_published in its order.
func (s *Store) OutletArticles(ctx context.Context, outlet string, limit int) ([]string, error) {
	if checkText("outlet", outlet) != nil {
		return nil, nil // no such outlet can be stored
	}
	q, _, err := s.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: articles of %s: %w", outlet, err)
	}
	ids, err := queryStrings(ctx, q, `SELECT a.id `+outletNewest, outlet, outletLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("postgres: articles of %s: %w", outlet, err)
	}
	return ids, nil
}

// OutletPages implements store.Store, in one read where loading each
// article would take two.
func (s *Store) OutletPages(ctx context.Context, outlet string, limit int) ([]store.OutletPage, error) {
	if checkText("outlet", outlet) != nil {
		return nil, nil // no such outlet can be stored
	}
	q, _, err := s.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: pages of %s: %w", outlet, err)
	}
	rows, err := q.Query(ctx, `SELECT a.id, COALESCE(a.story_id, ''), COALESCE(a.text, ''), COALESCE(a.furniture, '') `+outletNewest, outlet, outletLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("postgres: pages of %s: %w", outlet, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.OutletPage, error) {
		var p store.OutletPage
		var furniture string
		if err := row.Scan(&p.ID, &p.StoryID, &p.Text, &furniture); err != nil {
			return p, err
		}
		var err error
		if p.Furniture, err = store.DecodeFurniture(furniture); err != nil {
			return p, fmt.Errorf("article %s: %w", p.ID, err)
		}
		return p, nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: pages of %s: %w", outlet, err)
	}
	return out, nil
}

// AddReclean implements store.Store.
func (s *Store) AddReclean(ctx context.Context, r store.Reclean) error {
	if checkText("article", r.Article, "version", r.Version) != nil {
		return fmt.Errorf("postgres: reclean of %s: %w", r.Article, store.ErrNotFound)
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO recleans(article_id, at, version, removed, restored)
			SELECT id, $2, $3, $4, $5 FROM articles WHERE id = $1`,
			r.Article, r.At.UnixNano(), r.Version, r.Removed, r.Restored)
		if err == nil && tag.RowsAffected() == 0 {
			err = store.ErrNotFound
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: reclean of %s: %w", r.Article, err)
	}
	return nil
}

// Recleans implements store.Store.
func (s *Store) Recleans(ctx context.Context, articleID string) ([]store.Reclean, error) {
	if checkText("article", articleID) != nil {
		return nil, nil
	}
	q, _, err := s.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: recleans of %s: %w", articleID, err)
	}
	rows, err := q.Query(ctx, `SELECT article_id, at, version, removed, restored FROM recleans
		WHERE article_id = $1 ORDER BY seq`, articleID)
	if err != nil {
		return nil, fmt.Errorf("postgres: recleans of %s: %w", articleID, err)
	}
	defer rows.Close()
	var out []store.Reclean
	for rows.Next() {
		var r store.Reclean
		var at int64
		if err := rows.Scan(&r.Article, &at, &r.Version, &r.Removed, &r.Restored); err != nil {
			return nil, fmt.Errorf("postgres: recleans of %s: %w", articleID, err)
		}
		r.At = time.Unix(0, at).UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: recleans of %s: %w", articleID, err)
	}
	return out, nil
}

// AddTaught implements store.Store, in one statement.
func (s *Store) AddTaught(ctx context.Context, counts map[string]int) error {
	if len(counts) == 0 {
		return nil
	}
	outlets := make([]string, 0, len(counts))
	ns := make([]int64, 0, len(counts))
	for o, n := range counts {
		if err := checkText("outlet", o); err != nil {
			return fmt.Errorf("postgres: add taught: %w", err)
		}
		outlets = append(outlets, o)
		ns = append(ns, int64(n))
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO template_taught(outlet, n) SELECT * FROM unnest($1::text[], $2::bigint[])
			ON CONFLICT (outlet) DO UPDATE SET n = template_taught.n + excluded.n`, outlets, ns)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: add taught: %w", err)
	}
	return nil
}

// Taught implements store.Store.
func (s *Store) Taught(ctx context.Context) (map[string]int, error) {
	q, _, err := s.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: taught: %w", err)
	}
	rows, err := q.Query(ctx, `SELECT outlet, n FROM template_taught`)
	if err != nil {
		return nil, fmt.Errorf("postgres: taught: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var o string
		var n int
		if err := rows.Scan(&o, &n); err != nil {
			return nil, fmt.Errorf("postgres: taught: %w", err)
		}
		out[o] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: taught: %w", err)
	}
	return out, nil
}

// ClearTaught implements store.Store.
func (s *Store) ClearTaught(ctx context.Context) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM template_taught`)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: clear taught: %w", err)
	}
	return nil
}
