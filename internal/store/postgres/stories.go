package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
)

// Stories returns every story, the largest first, equal sizes in the order
// they were created.
func (s *Store) Stories(ctx context.Context) ([]dossier.Story, error) {
	var out []dossier.Story
	err := s.EachStory(ctx, func(st dossier.Story) error {
		out = append(out, st)
		return nil
	})
	return out, err
}

// EachStory calls fn for every story in the order of Stories, from one
// snapshot: the IDs first, then one story at a time.
func (s *Store) EachStory(ctx context.Context, fn func(dossier.Story) error) error {
	q, done, err := s.snapshot(ctx)
	if err != nil {
		return fmt.Errorf("postgres: stories: %w", err)
	}
	defer done()
	ids, err := queryStrings(ctx, q, `SELECT id FROM stories ORDER BY size DESC, created, ord`)
	if err != nil {
		return fmt.Errorf("postgres: stories: %w", err)
	}
	for _, id := range ids {
		st, err := readStory(ctx, q, id)
		if err != nil {
			return fmt.Errorf("postgres: stories: %w", err)
		}
		if err := fn(st); err != nil {
			return err
		}
	}
	return nil
}

// readStory reads one story with its articles and speakers through q.
func readStory(ctx context.Context, q querier, id string) (dossier.Story, error) {
	var title string
	var tb, cb []byte
	if err := q.QueryRow(ctx, `SELECT title, tally, comparison FROM stories WHERE id = $1`, id).Scan(&title, &tb, &cb); err != nil {
		if noRows(err) {
			return dossier.Story{}, store.ErrNotFound
		}
		return dossier.Story{}, fmt.Errorf("story %s: %w", id, err)
	}
	t, err := store.DecodeTally(tb)
	if err != nil {
		return dossier.Story{}, fmt.Errorf("story %s: %w", id, err)
	}
	var c *dossier.Comparison
	if cb != nil {
		if c, err = decodeComparison(cb); err != nil {
			return dossier.Story{}, fmt.Errorf("story %s: %w", id, err)
		}
	}
	articles, err := queryStrings(ctx, q, `SELECT id FROM articles WHERE story_id = $1 ORDER BY seq`, id)
	if err != nil {
		return dossier.Story{}, fmt.Errorf("story %s: articles: %w", id, err)
	}
	if len(articles) == 0 {
		articles = nil
	}
	rows, err := q.Query(ctx, `SELECT sp.name, COUNT(*)
		FROM articles a
		JOIN quotes q ON q.article_id = a.id
		JOIN speakers sp ON sp.id = q.speaker_id
		WHERE a.story_id = $1 GROUP BY sp.id, sp.name`, id)
	if err != nil {
		return dossier.Story{}, fmt.Errorf("story %s: speakers: %w", id, err)
	}
	var speakers []dossier.SpeakerCount
	for rows.Next() {
		var sc dossier.SpeakerCount
		var n int64
		if err := rows.Scan(&sc.Name, &n); err != nil {
			rows.Close()
			return dossier.Story{}, fmt.Errorf("story %s: speakers: %w", id, err)
		}
		sc.Quotes = int(n)
		speakers = append(speakers, sc)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return dossier.Story{}, fmt.Errorf("story %s: speakers: %w", id, err)
	}
	return store.StoryOf(id, title, t, articles, speakers, c), nil
}

// Story returns one story, or an error wrapping store.ErrNotFound.
func (s *Store) Story(ctx context.Context, id string) (dossier.Story, error) {
	q, done, err := s.snapshot(ctx)
	if err != nil {
		return dossier.Story{}, fmt.Errorf("postgres: story %s: %w", id, err)
	}
	defer done()
	st, err := readStory(ctx, q, id)
	if err != nil {
		return dossier.Story{}, fmt.Errorf("postgres: story %s: %w", id, err)
	}
	return st, nil
}

// args numbers query parameters as they are added.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// StoriesPage lists stories newest first. See store.Store.
func (s *Store) StoriesPage(ctx context.Context, sq store.StoryQuery) (store.StoryPage, error) {
	page, err := s.storiesPage(ctx, sq)
	if err != nil {
		return store.StoryPage{}, fmt.Errorf("postgres: stories page: %w", err)
	}
	return page, nil
}

func (s *Store) storiesPage(ctx context.Context, sq store.StoryQuery) (store.StoryPage, error) {
	cur, after, err := store.DecodeStoryCursor(sq.Cursor)
	if err != nil {
		return store.StoryPage{}, err
	}
	if checkText("cursor", cur.ID, "outlet", sq.Outlet) != nil {
		return store.StoryPage{}, fmt.Errorf("%w: %.40q", store.ErrBadCursor, sq.Cursor)
	}
	limit := store.PageLimit(sq.Limit)
	var a args
	var where []string
	if after {
		where = append(where, `(last_ns, created, id) < (`+a.add(cur.Last)+`, `+a.add(cur.Created)+`, `+a.add(cur.ID)+`)`)
	}
	if !sq.From.IsZero() {
		from, _, err := encodeTime(sq.From)
		if err != nil {
			return store.StoryPage{}, fmt.Errorf("from: %w", err)
		}
		where = append(where, `last_ns >= `+a.add(*from))
	}
	if !sq.To.IsZero() {
		to, _, err := encodeTime(sq.To)
		if err != nil {
			return store.StoryPage{}, fmt.Errorf("to: %w", err)
		}
		where = append(where, `first_ns < `+a.add(*to)+` AND last_ns > `+a.add(store.UndatedLast))
	}
	if sq.Outlet != "" {
		where = append(where, `id IN (SELECT so.story_id FROM story_outlets so JOIN outlets o ON o.id = so.outlet_id WHERE o.name = `+a.add(sq.Outlet)+`)`)
	}
	sql := `SELECT id, title, tally, last_ns, created FROM stories`
	if len(where) > 0 {
		sql += ` WHERE ` + strings.Join(where, ` AND `)
	}
	sql += ` ORDER BY last_ns DESC, created DESC, id DESC LIMIT ` + a.add(limit+1)
	q, _, err := s.reader(ctx)
	if err != nil {
		return store.StoryPage{}, err
	}
	rows, err := q.Query(ctx, sql, a...)
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
	return page, rows.Err()
}

// ArticlesPage lists articles with their quotes in ingest order.
func (s *Store) ArticlesPage(ctx context.Context, aq store.ArticleQuery) (store.ArticlePage, error) {
	page, err := s.articlesPage(ctx, aq)
	if err != nil {
		return store.ArticlePage{}, fmt.Errorf("postgres: articles page: %w", err)
	}
	return page, nil
}

func (s *Store) articlesPage(ctx context.Context, aq store.ArticleQuery) (store.ArticlePage, error) {
	after, _, err := store.DecodeArticleCursor(aq.Cursor)
	if err != nil {
		return store.ArticlePage{}, err
	}
	if checkText("story", aq.Story) != nil {
		return store.ArticlePage{}, nil
	}
	limit := store.PageLimit(aq.Limit)
	var a args
	inner := `SELECT * FROM articles WHERE seq > ` + a.add(after)
	if aq.Story != "" {
		inner += ` AND story_id = ` + a.add(aq.Story)
	}
	inner += ` ORDER BY seq LIMIT ` + a.add(limit+1)
	sql := strings.Replace(articleQuery, "FROM articles a", "FROM ("+inner+") a", 1) + ` ORDER BY a.seq, q.ordinal`
	q, done, err := s.snapshot(ctx)
	if err != nil {
		return store.ArticlePage{}, err
	}
	defer done()
	var page store.ArticlePage
	err = scanArticles(ctx, q, true, sql, a, func(a dossier.Article) error {
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
		if err := q.QueryRow(ctx, `SELECT seq FROM articles WHERE id = $1`, last).Scan(&seq); err != nil {
			return store.ArticlePage{}, fmt.Errorf("article %s: %w", last, err)
		}
		page.Next = store.EncodeArticleCursor(seq)
	}
	return page, nil
}

// SetComparison stores a story's comparison, replacing the one before.
func (s *Store) SetComparison(ctx context.Context, storyID string, c dossier.Comparison) error {
	b, err := encodeComparison(c)
	if err != nil {
		return fmt.Errorf("postgres: set comparison of %s: %w", storyID, err)
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE stories SET comparison = $1 WHERE id = $2`, b, storyID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: set comparison of %s: %w", storyID, err)
	}
	return nil
}

// Uncompared returns the stories without a current comparison, oldest first.
func (s *Store) Uncompared(ctx context.Context) ([]string, error) {
	q, _, err := s.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: uncompared stories: %w", err)
	}
	ids, err := queryStrings(ctx, q, `SELECT id FROM stories WHERE comparison IS NULL ORDER BY created, ord`)
	if err != nil {
		return nil, fmt.Errorf("postgres: uncompared stories: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return ids, nil
}

// RenameSpeakers sets the speaker of every quote of a story's articles to
// names[given], or back to given.
func (s *Store) RenameSpeakers(ctx context.Context, storyID string, names map[string]string) error {
	for from, to := range names {
		if err := checkText("name", from, "name", to); err != nil {
			return fmt.Errorf("postgres: rename speakers of %s: %w", storyID, err)
		}
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		type row struct {
			article string
			ordinal int32
			given   string
			speaker *int64
		}
		rows, err := tx.Query(ctx, `SELECT q.article_id, q.ordinal, q.given, q.speaker_id
			FROM articles a JOIN quotes q ON q.article_id = a.id
			WHERE a.story_id = $1 AND q.given <> '' ORDER BY q.article_id, q.ordinal`, storyID)
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
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// The names the quotes take, in the order first met: new ones
		// are numbered so, as one upsert each numbered them.
		nameOf := make([]string, len(quotes))
		var taken, toks []string
		seen := map[string]bool{}
		for i, q := range quotes {
			nameOf[i] = q.given
			if to := names[q.given]; to != "" {
				nameOf[i] = to
			}
			if !seen[nameOf[i]] {
				seen[nameOf[i]] = true
				taken, toks = append(taken, nameOf[i]), append(toks, tokenText(nameOf[i]))
			}
		}
		if len(taken) == 0 {
			return nil
		}
		ids := make(map[string]int64, len(taken))
		b := &pgx.Batch{}
		queueExec(b, "speakers", `INSERT INTO speakers(name, name_tok)
			SELECT name, tok FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS v(name, tok, i) ORDER BY i
			ON CONFLICT (name) DO NOTHING`, taken, toks)
		b.Queue(`SELECT id, name FROM speakers WHERE name = ANY($1)`, taken).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var id int64
				var name string
				if err := rows.Scan(&id, &name); err != nil {
					return err
				}
				ids[name] = id
			}
			return rows.Err()
		})
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		var articles []string
		var ordinals []int32
		var speakers []int64
		for i, q := range quotes {
			id, ok := ids[nameOf[i]]
			if !ok {
				return fmt.Errorf("speaker %q: not found after its upsert", nameOf[i])
			}
			if q.speaker != nil && *q.speaker == id {
				continue
			}
			articles, ordinals, speakers = append(articles, q.article), append(ordinals, q.ordinal), append(speakers, id)
		}
		if len(articles) == 0 {
			return nil
		}
		_, err = tx.Exec(ctx, `UPDATE quotes q SET speaker_id = u.speaker
			FROM unnest($1::text[], $2::int[], $3::bigint[]) AS u(article, ordinal, speaker)
			WHERE q.article_id = u.article AND q.ordinal = u.ordinal`, articles, ordinals, speakers)
		if err != nil {
			return fmt.Errorf("rename: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: rename speakers of %s: %w", storyID, err)
	}
	return nil
}
