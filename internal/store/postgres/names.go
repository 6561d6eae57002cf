package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/dossiernews/dossier/internal/store"
)

// kindTable maps a store.Kind to the table of its current IDs. Table
// names come from here only, never from input.
func kindTable(k store.Kind) (string, error) {
	switch k {
	case store.KindArticle:
		return "articles", nil
	case store.KindStory:
		return "stories", nil
	}
	return "", fmt.Errorf("unknown kind %d", int(k))
}

// Resolve turns ref into the current ID of an article or story: ref
// itself, the ID it is an alias of, or the one ID it is a prefix of, in
// each of store.RefForms in turn.
func (s *Store) Resolve(ctx context.Context, kind store.Kind, ref string) (string, error) {
	id, err := s.resolve(ctx, kind, ref)
	if err != nil {
		return "", fmt.Errorf("postgres: resolve %s %q: %w", kind, ref, err)
	}
	return id, nil
}

func (s *Store) resolve(ctx context.Context, kind store.Kind, ref string) (string, error) {
	table, err := kindTable(kind)
	if err != nil {
		return "", err
	}
	ref = strings.TrimSpace(ref)
	if ref == "" || checkText("ref", ref) != nil {
		return "", store.ErrNotFound // no stored name holds what text cannot
	}
	q, done, err := s.snapshot(ctx)
	if err != nil {
		return "", err
	}
	defer done()
	for _, form := range store.RefForms(ref, kind) {
		id, found, err := resolveForm(ctx, q, kind, table, form)
		if err != nil || found {
			return id, err
		}
	}
	return "", store.ErrNotFound
}

func resolveForm(ctx context.Context, q querier, kind store.Kind, table, ref string) (string, bool, error) {
	var id string
	err := q.QueryRow(ctx, `SELECT id FROM `+table+` WHERE id = $1`, ref).Scan(&id)
	if err == nil {
		return id, true, nil
	} else if !noRows(err) {
		return "", false, err
	}
	err = q.QueryRow(ctx, `SELECT al.id FROM aliases al JOIN `+table+` t ON t.id = al.id
		WHERE al.kind = $1 AND al.old = $2`, kind.String(), ref).Scan(&id)
	if err == nil {
		return id, true, nil
	} else if !noRows(err) {
		return "", false, err
	}
	// A range on the key (COLLATE "C", so byte order) rather than LIKE:
	// the ref may hold % or _. A range end that is no UTF-8 falls back to
	// starts_with.
	var sql string
	a := []any{ref, kind.String(), store.ShownCandidates + 1}
	if end, ok := store.PrefixEnd(ref); ok && utf8.ValidString(end) {
		a = append(a, end)
		sql = `SELECT id FROM ` + table + ` WHERE id >= $1 AND id < $4
			UNION
			SELECT al.id FROM aliases al JOIN ` + table + ` t ON t.id = al.id
				WHERE al.kind = $2 AND al.old >= $1 AND al.old < $4
			ORDER BY 1 LIMIT $3`
	} else {
		sql = `SELECT id FROM ` + table + ` WHERE starts_with(id, $1)
			UNION
			SELECT al.id FROM aliases al JOIN ` + table + ` t ON t.id = al.id
				WHERE al.kind = $2 AND starts_with(al.old, $1)
			ORDER BY 1 LIMIT $3`
	}
	cands, err := queryStrings(ctx, q, sql, a...)
	if err != nil {
		return "", false, err
	}
	return store.Candidates(cands)
}

// Alias records old as another name of id. See store.Store.
func (s *Store) Alias(ctx context.Context, kind store.Kind, old, id string) error {
	if err := s.alias(ctx, kind, old, id); err != nil {
		return fmt.Errorf("postgres: alias %s %q: %w", kind, old, err)
	}
	return nil
}

func (s *Store) alias(ctx context.Context, kind store.Kind, old, id string) error {
	if _, err := kindTable(kind); err != nil {
		return err
	}
	if old == "" || id == "" {
		return errors.New("empty name")
	}
	if err := checkText("old", old, "id", id); err != nil {
		return err
	}
	if old == id {
		return nil
	}
	k := kind.String()
	return s.inTx(ctx, func(tx pgx.Tx) error {
		target := id
		err := tx.QueryRow(ctx, `SELECT id FROM aliases WHERE kind = $1 AND old = $2`, k, id).Scan(&target)
		switch {
		case noRows(err):
			target = id
		case err != nil:
			return fmt.Errorf("read alias of %s: %w", id, err)
		}
		if target == old {
			if _, err = tx.Exec(ctx, `DELETE FROM aliases WHERE kind = $1 AND old = $2`, k, id); err != nil {
				return fmt.Errorf("reverse alias: %w", err)
			}
			target = id
		}
		if _, err = tx.Exec(ctx, `INSERT INTO aliases(kind, old, id) VALUES ($1, $2, $3)
			ON CONFLICT (kind, old) DO UPDATE SET id = excluded.id`, k, old, target); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		if _, err = tx.Exec(ctx, `UPDATE aliases SET id = $1 WHERE kind = $2 AND id = $3`, target, k, old); err != nil {
			return fmt.Errorf("repoint aliases of %s: %w", old, err)
		}
		return nil
	})
}
