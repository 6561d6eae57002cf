package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/dossiernews/dossier/internal/store"
)

// kindTable maps a store.Kind to the table of its current IDs. Table
// names come from here only, never from input.
func kindTable(k store.Kind) (table string, err error) {
	switch k {
	case store.KindArticle:
		return "articles", nil
	case store.KindStory:
		return "stories", nil
	}
	return "", fmt.Errorf("unknown kind %d", int(k))
}

// Resolve turns ref into the current ID of an article or story: ref itself
// when it is one, the ID it is an alias of, or the one ID (current, or
// named by an alias) that it is a prefix of. A ref read literally wins over
// the same ref lower-cased, which wins over it read as bare hex digits
// (the kind letter left out).
func (s *Store) Resolve(ctx context.Context, kind store.Kind, ref string) (string, error) {
	id, err := s.resolve(ctx, kind, ref)
	if err != nil {
		return "", fmt.Errorf("sqlite: resolve %s %q: %w", kind, ref, err)
	}
	return id, nil
}

func (s *Store) resolve(ctx context.Context, kind store.Kind, ref string) (string, error) {
	table, err := kindTable(kind)
	if err != nil {
		return "", err
	}
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return "", store.ErrNotFound
	}
	tx, done, err := s.snapshot(ctx)
	if err != nil {
		return "", err
	}
	defer done()
	for _, form := range store.RefForms(ref, kind) {
		id, found, err := resolveForm(ctx, tx, kind, table, form)
		if err != nil || found {
			return id, err
		}
	}
	return "", store.ErrNotFound
}

// resolveForm looks ref up as a current ID, then as an alias, then as a
// prefix. found is false when none names anything; ambiguity is an error.
func resolveForm(ctx context.Context, tx querier, kind store.Kind, table, ref string) (string, bool, error) {
	var id string
	err := tx.QueryRowContext(ctx, `SELECT id FROM `+table+` WHERE id = ?`, ref).Scan(&id)
	if err == nil {
		return id, true, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return "", false, err
	}
	// An alias whose target is gone names nothing.
	err = tx.QueryRowContext(ctx, `SELECT al.id FROM aliases al JOIN `+table+` t ON t.id = al.id
		WHERE al.kind = ? AND al.old = ?`, kind.String(), ref).Scan(&id)
	if err == nil {
		return id, true, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return "", false, err
	}

	end, ok := store.PrefixEnd(ref)
	if !ok {
		return "", false, nil
	}
	// A range on the key rather than LIKE: the ref is typed by a person and
	// may hold % or _.
	rows, err := tx.QueryContext(ctx, `SELECT id FROM `+table+` WHERE id >= ?1 AND id < ?2
		UNION
		SELECT al.id FROM aliases al JOIN `+table+` t ON t.id = al.id
			WHERE al.kind = ?3 AND al.old >= ?1 AND al.old < ?2
		ORDER BY 1 LIMIT ?4`, ref, end, kind.String(), store.ShownCandidates+1)
	if err != nil {
		return "", false, err
	}
	defer rows.Close()
	var cands []string
	for rows.Next() {
		if err := rows.Scan(&id); err != nil {
			return "", false, err
		}
		cands = append(cands, id)
	}
	if err := rows.Err(); err != nil {
		return "", false, err
	}
	return store.Candidates(cands)
}

// Alias records old as another name of id. When id is itself an alias, old
// names its target; names that pointed at old now point where old does, so
// an alias always names a current ID in one step. Saying that id is an
// alias of old after the opposite reverses the pair.
func (s *Store) Alias(ctx context.Context, kind store.Kind, old, id string) error {
	if err := s.alias(ctx, kind, old, id); err != nil {
		return fmt.Errorf("sqlite: alias %s %q: %w", kind, old, err)
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
	if old == id {
		return nil // a name is already itself
	}
	k := kind.String()
	return s.inTx(ctx, func(tx *wtx) (err error) {
		target := id
		err = tx.QueryRowContext(ctx, `SELECT id FROM aliases WHERE kind = ? AND old = ?`, k, id).Scan(&target)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			target = id
		case err != nil:
			return fmt.Errorf("read alias of %s: %w", id, err)
		}
		if target == old {
			// id was recorded as an old name of old; now old is the old name.
			if _, err = tx.ExecContext(ctx, `DELETE FROM aliases WHERE kind = ? AND old = ?`, k, id); err != nil {
				return fmt.Errorf("reverse alias: %w", err)
			}
			target = id
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO aliases(kind, old, id) VALUES (?, ?, ?)
			ON CONFLICT(kind, old) DO UPDATE SET id = excluded.id`, k, old, target)
		if err != nil {
			return fmt.Errorf("write: %w", err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE aliases SET id = ? WHERE kind = ? AND id = ?`, target, k, old)
		if err != nil {
			return fmt.Errorf("repoint aliases of %s: %w", old, err)
		}
		return nil
	})
}
