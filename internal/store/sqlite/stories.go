package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
)

// Stories returns every story, the one with most articles (duplicates
// included) first; equal sizes keep the order the stories were created in.
func (s *Store) Stories(ctx context.Context) ([]dossier.Story, error) {
	stories, err := s.stories(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("sqlite: stories: %w", err)
	}
	return stories, nil
}

// Story returns one story, or an error wrapping store.ErrNotFound.
func (s *Store) Story(ctx context.Context, id string) (dossier.Story, error) {
	if id == "" {
		return dossier.Story{}, fmt.Errorf("sqlite: story %q: %w", id, store.ErrNotFound)
	}
	stories, err := s.stories(ctx, id)
	if err != nil {
		return dossier.Story{}, fmt.Errorf("sqlite: story %s: %w", id, err)
	}
	if len(stories) == 0 {
		return dossier.Story{}, fmt.Errorf("sqlite: story %s: %w", id, store.ErrNotFound)
	}
	return stories[0], nil
}

// storyAgg is a story being built, with what ordering needs.
type storyAgg struct {
	dossier.Story
	created  int64
	outlets  map[string]bool
	speakers map[string]int
}

// stories aggregates all stories, or only story id when id is not empty. Both
// queries run in one read transaction so the speaker counts match the
// articles listed.
func (s *Store) stories(ctx context.Context, id string) (_ []dossier.Story, err error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	// Read-only: rolling back is how the snapshot is released.
	defer func() { _ = tx.Rollback() }()

	where, args := ``, []any{}
	if id != "" {
		where, args = `WHERE a.story_id = ?`, []any{id}
	}
	rows, err := tx.QueryContext(ctx, `SELECT a.id, a.story_id, st.title, st.created, COALESCE(o.name, ''), a.published
		FROM articles a
		JOIN stories st ON st.id = a.story_id
		LEFT JOIN outlets o ON o.id = a.outlet_id
		`+where+` ORDER BY a.seq`, args...)
	if err != nil {
		return nil, err
	}
	byID := map[string]*storyAgg{}
	var order []*storyAgg
	for rows.Next() {
		var (
			artID, storyID, title, outlet string
			created                       int64
			published                     sql.NullString
		)
		if err := rows.Scan(&artID, &storyID, &title, &created, &outlet, &published); err != nil {
			rows.Close()
			return nil, err
		}
		sa := byID[storyID]
		if sa == nil {
			sa = &storyAgg{
				Story:    dossier.Story{ID: storyID, Title: title},
				created:  created,
				outlets:  map[string]bool{},
				speakers: map[string]int{},
			}
			byID[storyID] = sa
			order = append(order, sa)
		}

		sa.Articles = append(sa.Articles, artID)
		if outlet != "" && !sa.outlets[outlet] {
			sa.outlets[outlet] = true
			sa.Outlets = append(sa.Outlets, outlet)
		}
		t, err := decodeTime(published)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("article %s: %w", artID, err)
		}
		widen(&sa.Story, t)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, err
	}
	rows.Close()

	rows, err = tx.QueryContext(ctx, `SELECT a.story_id, sp.name, COUNT(*)
		FROM quotes q
		JOIN articles a ON a.id = q.article_id
		JOIN speakers sp ON sp.id = q.speaker_id
		`+where+` GROUP BY a.story_id, sp.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			storyID sql.NullString
			name    string
			n       int
		)
		if err := rows.Scan(&storyID, &name, &n); err != nil {
			return nil, err
		}
		if sa := byID[storyID.String]; storyID.Valid && sa != nil {
			sa.Speakers = append(sa.Speakers, dossier.SpeakerCount{Name: name, Quotes: n})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}

	cwhere := ``
	if id != "" {
		cwhere = `AND id = ?`
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, comparison FROM stories WHERE comparison IS NOT NULL `+cwhere, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var storyID string
		var b []byte
		if err := rows.Scan(&storyID, &b); err != nil {
			return nil, err
		}
		if sa := byID[storyID]; sa != nil {
			if sa.Comparison, err = decodeComparison(b); err != nil {
				return nil, fmt.Errorf("story %s: %w", storyID, err)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}

	sort.SliceStable(order, func(i, j int) bool {
		if len(order[i].Articles) != len(order[j].Articles) {
			return len(order[i].Articles) > len(order[j].Articles)
		}
		return order[i].created < order[j].created
	})
	out := make([]dossier.Story, 0, len(order))
	for _, sa := range order {
		sortSpeakers(sa.Speakers)
		out = append(out, sa.Story)
	}
	return out, nil
}

// widen stretches the story's first/last publication times to include t,
// comparing instants but keeping each time in the offset it was stated in.
func widen(st *dossier.Story, t time.Time) {
	if t.IsZero() {
		return
	}
	if st.FirstPublished.IsZero() || t.Before(st.FirstPublished) {
		st.FirstPublished = t
	}
	if st.LastPublished.IsZero() || t.After(st.LastPublished) {
		st.LastPublished = t
	}
}

// sortSpeakers puts the most quoted first, then names in byte order.
func sortSpeakers(sc []dossier.SpeakerCount) {
	sort.Slice(sc, func(i, j int) bool {
		if sc[i].Quotes != sc[j].Quotes {
			return sc[i].Quotes > sc[j].Quotes
		}
		return sc[i].Name < sc[j].Name
	})
}

// SetComparison stores a story's comparison, replacing the one before. A
// story that no longer exists is ErrNotFound.
func (s *Store) SetComparison(ctx context.Context, storyID string, c dossier.Comparison) error {
	b, err := encodeComparison(c)
	if err != nil {
		return fmt.Errorf("sqlite: set comparison of %s: %w", storyID, err)
	}
	res, err := s.w.ExecContext(ctx, `UPDATE stories SET comparison = ? WHERE id = ?`, b, storyID)
	if err != nil {
		return fmt.Errorf("sqlite: set comparison of %s: %w", storyID, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("sqlite: set comparison of %s: %w", storyID, store.ErrNotFound)
	}
	return nil
}

// Uncompared returns the stories without a current comparison, oldest first.
func (s *Store) Uncompared(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id FROM stories WHERE comparison IS NULL ORDER BY created`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: uncompared stories: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlite: uncompared stories: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: uncompared stories: %w", err)
	}
	return ids, nil
}

// RenameSpeakers sets the speaker of every quote of a story's articles to
// names[given], or back to given, the name the article itself uses: the
// result depends on names alone, never on earlier renames.
func (s *Store) RenameSpeakers(ctx context.Context, storyID string, names map[string]string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		// The story's quotes are read through its articles and updated by
		// key, one row each where the name changes: a filter on given over
		// the whole quotes table would scan it once per name.
		type row struct {
			article string
			ordinal int
			given   string
			speaker sql.NullInt64
		}
		rows, err := tx.QueryContext(ctx, `SELECT q.article_id, q.ordinal, q.given, q.speaker_id
			FROM articles a JOIN quotes q ON q.article_id = a.id
			WHERE a.story_id = ? AND q.given != '' ORDER BY q.article_id, q.ordinal`, storyID)
		if err != nil {
			return err
		}
		var quotes []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.article, &r.ordinal, &r.given, &r.speaker); err != nil {
				rows.Close()
				return err
			}
			quotes = append(quotes, r)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		ids := map[string]int64{}
		for _, q := range quotes {
			name := q.given
			if to := names[q.given]; to != "" {
				name = to
			}
			id, ok := ids[name]
			if !ok {
				if id, err = upsertName(ctx, tx, s.stmt.speaker, name); err != nil {
					return fmt.Errorf("speaker %q: %w", name, err)
				}
				ids[name] = id
			}
			if q.speaker.Valid && q.speaker.Int64 == id {
				continue
			}
			_, err = tx.ExecContext(ctx, `UPDATE quotes SET speaker_id = ? WHERE article_id = ? AND ordinal = ?`, id, q.article, q.ordinal)
			if err != nil {
				return fmt.Errorf("rename %q: %w", q.given, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: rename speakers of %s: %w", storyID, err)
	}
	return nil
}
