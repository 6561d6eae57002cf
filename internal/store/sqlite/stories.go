package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
)

// Stories returns every story, the one with most articles (duplicates
// included) first; equal sizes keep the order the stories were created in.
func (s *Store) Stories(ctx context.Context) ([]dossier.Story, error) {
	var out []dossier.Story
	err := s.EachStory(ctx, func(st dossier.Story) error {
		out = append(out, st)
		return nil
	})
	return out, err
}

// EachStory calls fn for every story in the order of Stories, from one
// snapshot, reading one story at a time. An error from fn stops it and is
// returned as is.
func (s *Store) EachStory(ctx context.Context, fn func(dossier.Story) error) error {
	q, done, err := s.snapshot(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: stories: %w", err)
	}
	defer done()
	rows, err := q.QueryContext(ctx, storyColumns+` ORDER BY size DESC, created`)
	if err != nil {
		return fmt.Errorf("sqlite: stories: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		st, err := s.readStory(ctx, q, rows)
		if err != nil {
			return fmt.Errorf("sqlite: stories: %w", err)
		}
		if err := fn(st); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: stories: %w", err)
	}
	return nil
}

const storyColumns = `SELECT id, title, tally, comparison FROM stories`

// readStory completes the story row read by rows with its articles and
// speakers, read through q.
func (s *Store) readStory(ctx context.Context, q querier, row interface{ Scan(...any) error }) (dossier.Story, error) {
	var id, title string
	var tb, cb []byte
	if err := row.Scan(&id, &title, &tb, &cb); err != nil {
		return dossier.Story{}, err
	}
	t, err := store.DecodeTally(tb)
	if err != nil {
		return dossier.Story{}, fmt.Errorf("story %s: %w", id, err)
	}
	var c *dossier.Comparison
	if cb != nil {
		if c, err = s.pk.decodeComparison(cb); err != nil {
			return dossier.Story{}, fmt.Errorf("story %s: %w", id, err)
		}
	}
	ids, err := s.prepared(ctx, q, storyArticlesQuery)
	if err != nil {
		return dossier.Story{}, fmt.Errorf("story %s: articles: %w", id, err)
	}
	articles, err := queryStrings(ctx, ids, id)
	if err != nil {
		return dossier.Story{}, fmt.Errorf("story %s: articles: %w", id, err)
	}
	sq, err := s.prepared(ctx, q, storySpeakersQuery)
	if err != nil {
		return dossier.Story{}, fmt.Errorf("story %s: speakers: %w", id, err)
	}
	rows, err := sq.QueryContext(ctx, id)
	if err != nil {
		return dossier.Story{}, fmt.Errorf("story %s: speakers: %w", id, err)
	}
	defer rows.Close()
	var speakers []dossier.SpeakerCount
	for rows.Next() {
		var sc dossier.SpeakerCount
		if err := rows.Scan(&sc.Name, &sc.Quotes); err != nil {
			return dossier.Story{}, fmt.Errorf("story %s: speakers: %w", id, err)
		}
		speakers = append(speakers, sc)
	}
	if err := rows.Err(); err != nil {
		return dossier.Story{}, fmt.Errorf("story %s: speakers: %w", id, err)
	}
	return store.StoryOf(id, title, t, articles, speakers, c), nil
}

const (
	storyArticlesQuery = `SELECT id FROM articles WHERE story_id = ? ORDER BY seq`
	storySpeakersQuery = `SELECT sp.name, COUNT(*)
		FROM articles a
		JOIN quotes q ON q.article_id = a.id
		JOIN speakers sp ON sp.id = q.speaker_id
		WHERE a.story_id = ? GROUP BY sp.id`
	storyVersionQuery = `SELECT version FROM stories WHERE id = ?`
	storyByIDQuery    = storyColumns + ` WHERE id = ?`
)

// StoryVersion returns the story's version, which every committed write
// that changes what the story shows moves to a value it never had (see
// store.StoryVersioner); found is false for no such story.
func (s *Store) StoryVersion(ctx context.Context, id string) (int64, bool, error) {
	q, err := s.reader(ctx)
	if err != nil {
		return 0, false, fmt.Errorf("sqlite: version of story %s: %w", id, err)
	}
	st, err := s.prepared(ctx, q, storyVersionQuery)
	if err != nil {
		return 0, false, fmt.Errorf("sqlite: version of story %s: %w", id, err)
	}
	var v int64
	switch err := st.QueryRowContext(ctx, id).Scan(&v); {
	case errors.Is(err, sql.ErrNoRows):
		return 0, false, nil
	case err != nil:
		return 0, false, fmt.Errorf("sqlite: version of story %s: %w", id, err)
	}
	return v, true, nil
}

// queryStrings returns the one text column of a query's rows.
func queryStrings(ctx context.Context, q stmtQuerier, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Story returns one story, or an error wrapping store.ErrNotFound.
func (s *Store) Story(ctx context.Context, id string) (dossier.Story, error) {
	st, err := s.story(ctx, id)
	if err != nil {
		return dossier.Story{}, fmt.Errorf("sqlite: story %s: %w", id, err)
	}
	return st, nil
}

func (s *Store) story(ctx context.Context, id string) (dossier.Story, error) {
	q, done, err := s.snapshot(ctx)
	if err != nil {
		return dossier.Story{}, err
	}
	defer done()
	row, err := s.prepared(ctx, q, storyByIDQuery)
	if err != nil {
		return dossier.Story{}, err
	}
	st, err := s.readStory(ctx, q, row.QueryRowContext(ctx, id))
	if errors.Is(err, sql.ErrNoRows) {
		return dossier.Story{}, store.ErrNotFound
	}
	return st, err
}

// StoriesPage lists stories newest first, one row read per story. See
// store.Store.
func (s *Store) StoriesPage(ctx context.Context, sq store.StoryQuery) (store.StoryPage, error) {
	page, err := s.storiesPage(ctx, sq)
	if err != nil {
		return store.StoryPage{}, fmt.Errorf("sqlite: stories page: %w", err)
	}
	return page, nil
}

func (s *Store) storiesPage(ctx context.Context, sq store.StoryQuery) (store.StoryPage, error) {
	cur, after, err := store.DecodeStoryCursor(sq.Cursor)
	if err != nil {
		return store.StoryPage{}, err
	}
	limit := store.PageLimit(sq.Limit)
	query := `SELECT id, title, tally, last_ns, created FROM stories WHERE 1`
	var args []any
	if after {
		query += ` AND (last_ns, created, id) < (?, ?, ?)`
		args = append(args, cur.Last, cur.Created, cur.ID)
	}
	if !sq.From.IsZero() {
		from, _, err := encodeTime(sq.From)
		if err != nil {
			return store.StoryPage{}, fmt.Errorf("from: %w", err)
		}
		query += ` AND last_ns >= ?`
		args = append(args, from)
	}
	if !sq.To.IsZero() {
		to, _, err := encodeTime(sq.To)
		if err != nil {
			return store.StoryPage{}, fmt.Errorf("to: %w", err)
		}
		query += ` AND first_ns < ? AND last_ns > ?`
		args = append(args, to, store.UndatedLast)
	}
	if sq.Outlet != "" {
		query += ` AND id IN (SELECT so.story_id FROM story_outlets so JOIN outlets o ON o.id = so.outlet_id WHERE o.name = ?)`
		args = append(args, sq.Outlet)
	}
	query += ` ORDER BY last_ns DESC, created DESC, id DESC LIMIT ?`
	args = append(args, limit+1)

	q, err := s.reader(ctx)
	if err != nil {
		return store.StoryPage{}, err
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return store.StoryPage{}, err
	}
	defer rows.Close()
	var page store.StoryPage
	var last store.StoryCursor
	for rows.Next() {
		var id, title string
		var tb []byte
		var lastNs, created int64
		if err := rows.Scan(&id, &title, &tb, &lastNs, &created); err != nil {
			return store.StoryPage{}, err
		}
		if len(page.Stories) == limit {
			page.Next = last.Encode()
			break
		}
		t, err := store.DecodeTally(tb)
		if err != nil {
			return store.StoryPage{}, fmt.Errorf("story %s: %w", id, err)
		}
		page.Stories = append(page.Stories, store.SummaryOf(id, title, t))
		last = store.StoryCursor{Last: lastNs, Created: created, ID: id}
	}
	if err := rows.Err(); err != nil {
		return store.StoryPage{}, err
	}
	return page, nil
}

// pageColumns are those articleQuery reads: the state blobs stay unread.
const pageColumns = `id, seq, source, url, outlet_id, title, authors, contacts, pub_ns, pub_off, language,
	text, captions, fingerprint, duplicate_of, similarity, story_id, ing_ns, ing_off, mod_ns, mod_off`

// articlesPageQuery reads a page of articles after a seq, of one story
// when ofStory (its arguments: seq, [story,] limit).
func articlesPageQuery(ofStory bool) string {
	inner := `SELECT ` + pageColumns + ` FROM articles WHERE seq > ?`
	if ofStory {
		inner += ` AND story_id = ?`
	}
	inner += ` ORDER BY seq LIMIT ?`
	return strings.Replace(articleQuery, "FROM articles a", "FROM ("+inner+") a", 1) + ` ORDER BY a.seq, q.ordinal`
}

// ArticlesPage lists articles with their quotes in ingest order, of one
// story or all. See store.Store.
func (s *Store) ArticlesPage(ctx context.Context, aq store.ArticleQuery) (store.ArticlePage, error) {
	page, err := s.articlesPage(ctx, aq)
	if err != nil {
		return store.ArticlePage{}, fmt.Errorf("sqlite: articles page: %w", err)
	}
	return page, nil
}

func (s *Store) articlesPage(ctx context.Context, aq store.ArticleQuery) (store.ArticlePage, error) {
	after, _, err := store.DecodeArticleCursor(aq.Cursor)
	if err != nil {
		return store.ArticlePage{}, err
	}
	limit := store.PageLimit(aq.Limit)
	args := []any{after}
	if aq.Story != "" {
		args = append(args, aq.Story)
	}
	args = append(args, limit+1)
	query := articlesPageQuery(aq.Story != "")

	q, done, err := s.snapshot(ctx)
	if err != nil {
		return store.ArticlePage{}, err
	}
	defer done()
	pq, err := s.prepared(ctx, q, query)
	if err != nil {
		return store.ArticlePage{}, err
	}
	var page store.ArticlePage
	err = scanRows(ctx, pq, args, func(a dossier.Article) error {
		page.Articles = append(page.Articles, a)
		return nil
	})
	if err != nil {
		return store.ArticlePage{}, err
	}
	if len(page.Articles) > limit {
		page.Articles = page.Articles[:limit]
		var seq int64
		last := page.Articles[limit-1].ID
		if err := q.QueryRowContext(ctx, `SELECT seq FROM articles WHERE id = ?`, last).Scan(&seq); err != nil {
			return store.ArticlePage{}, fmt.Errorf("article %s: %w", last, err)
		}
		page.Next = store.EncodeArticleCursor(seq)
	}
	return page, nil
}

// SetComparison stores a story's comparison, replacing the one before. A
// story that no longer exists is ErrNotFound.
func (s *Store) SetComparison(ctx context.Context, storyID string, c dossier.Comparison) error {
	b, err := s.pk.encodeComparison(c)
	if err != nil {
		return fmt.Errorf("sqlite: set comparison of %s: %w", storyID, err)
	}
	err = s.inTx(ctx, func(tx *wtx) error {
		res, err := tx.ExecContext(ctx, `UPDATE stories SET comparison = ? WHERE id = ?`, b, storyID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: set comparison of %s: %w", storyID, err)
	}
	return nil
}

// Uncompared returns the stories without a current comparison, oldest first.
func (s *Store) Uncompared(ctx context.Context) ([]string, error) {
	q, err := s.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: uncompared stories: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT id FROM stories WHERE comparison IS NULL ORDER BY created`)
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
	err := s.inTx(ctx, func(tx *wtx) error {
		// The story's quotes are read through its articles and updated by
		// key, one row each where the name changes: a filter on given over
		// the whole quotes table would scan it once per name.
		type row struct {
			article string
			ordinal int
			given   string
			speaker sql.NullInt64
			seq     int64
			text    string
		}
		rows, err := tx.QueryContext(ctx, `SELECT q.article_id, q.ordinal, q.given, q.speaker_id, a.seq, q.text
			FROM articles a JOIN quotes q ON q.article_id = a.id
			WHERE a.story_id = ? AND q.given != '' ORDER BY q.article_id, q.ordinal`, storyID)
		if err != nil {
			return err
		}
		var quotes []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.article, &r.ordinal, &r.given, &r.speaker, &r.seq, &r.text); err != nil {
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
			if q.ordinal < maxQuotes {
				if err = s.unindexQuote(ctx, tx, q.seq, q.ordinal); err != nil {
					return fmt.Errorf("rename %q: %w", q.given, err)
				}
				if err = s.indexQuote(ctx, tx, q.seq, q.ordinal, q.text, name); err != nil {
					return fmt.Errorf("rename %q: %w", q.given, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: rename speakers of %s: %w", storyID, err)
	}
	return nil
}
