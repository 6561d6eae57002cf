package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
)

// oneString reads a query's one text column of at most one row.
func (s *Store) oneString(ctx context.Context, sql string, args ...any) (string, bool, error) {
	q, _, err := s.reader(ctx)
	if err != nil {
		return "", false, err
	}
	var v string
	err = q.QueryRow(ctx, sql, args...).Scan(&v)
	switch {
	case noRows(err):
		return "", false, nil
	case err != nil:
		return "", false, err
	}
	return v, true, nil
}

// Fingerprint returns the text fingerprint of the stored article id.
func (s *Store) Fingerprint(ctx context.Context, id string) (string, bool, error) {
	fp, ok, err := s.oneString(ctx, `SELECT fingerprint FROM articles WHERE id = $1`, id)
	if err != nil {
		return "", false, fmt.Errorf("postgres: fingerprint of %s: %w", id, err)
	}
	return fp, ok, nil
}

// CanonicalByFingerprint returns the earliest canonical article with fp.
func (s *Store) CanonicalByFingerprint(ctx context.Context, fp string) (string, bool, error) {
	id, ok, err := s.oneString(ctx, `SELECT id FROM articles
		WHERE fingerprint = $1 AND duplicate_of = '' ORDER BY seq LIMIT 1`, fp)
	if err != nil {
		return "", false, fmt.Errorf("postgres: canonical by fingerprint %s: %w", fp, err)
	}
	return id, ok, nil
}

// HasLegacy reports whether some article has no source key.
func (s *Store) HasLegacy(ctx context.Context) (bool, error) {
	_, ok, err := s.oneString(ctx, `SELECT id FROM articles WHERE source_key = '' LIMIT 1`)
	if err != nil {
		return false, fmt.Errorf("postgres: legacy articles: %w", err)
	}
	return ok, nil
}

const savedColumns = `id, COALESCE(story_id, ''), duplicate_of, signature, features, source_key, digest, COALESCE(furniture, '')`

func scanSaved(row pgx.Row) (store.Saved, error) {
	var sv store.Saved
	var furniture string
	err := row.Scan(&sv.ID, &sv.StoryID, &sv.DuplicateOf, &sv.Signature, &sv.Features, &sv.SourceKey, &sv.Digest, &furniture)
	if err != nil {
		return sv, err
	}
	if sv.Furniture, err = store.DecodeFurniture(furniture); err != nil {
		return sv, fmt.Errorf("article %s: %w", sv.ID, err)
	}
	return sv, nil
}

// each runs a query and calls scan on each row. In a transaction (inTx),
// the rows are read whole first, so that scan may query again.
func each(ctx context.Context, q querier, inTx bool, sql string, args []any, scan func(pgx.Rows) (func() error, error)) error {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var later []func() error
	for rows.Next() {
		fn, err := scan(rows)
		if err != nil {
			return err
		}
		if fn == nil {
			continue
		}
		if inTx {
			later = append(later, fn)
		} else if err := fn(); err != nil {
			return callbackError{err}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	for _, fn := range later {
		if err := fn(); err != nil {
			return callbackError{err}
		}
	}
	return nil
}

// callbackError marks an error of the caller's function, passed back as is.
type callbackError struct{ err error }

func (e callbackError) Error() string { return e.err.Error() }
func (e callbackError) Unwrap() error { return e.err }

// unwrapCallback returns a callback's error as is, else wraps err.
func unwrapCallback(err error, format string, args ...any) error {
	var cb callbackError
	if errors.As(err, &cb) {
		return cb.err
	}
	if err != nil {
		return fmt.Errorf(format+": %w", append(args, err)...)
	}
	return nil
}

// Replay calls fn for every canonical article in ingest order.
func (s *Store) Replay(ctx context.Context, fn func(store.Saved) error) error {
	q, inTx, err := s.reader(ctx)
	if err != nil {
		return fmt.Errorf("postgres: replay: %w", err)
	}
	err = each(ctx, q, inTx, `SELECT `+savedColumns+` FROM articles WHERE duplicate_of = '' ORDER BY seq`, nil,
		func(rows pgx.Rows) (func() error, error) {
			sv, err := scanSaved(rows)
			if err != nil {
				return nil, err
			}
			return func() error { return fn(sv) }, nil
		})
	return unwrapCallback(err, "postgres: replay")
}

// Saved returns the state of the stored article id, duplicate or not.
func (s *Store) Saved(ctx context.Context, id string) (store.Saved, bool, error) {
	q, _, err := s.reader(ctx)
	if err != nil {
		return store.Saved{}, false, fmt.Errorf("postgres: saved %s: %w", id, err)
	}
	sv, err := scanSaved(q.QueryRow(ctx, `SELECT `+savedColumns+` FROM articles WHERE id = $1`, id))
	switch {
	case noRows(err):
		return store.Saved{}, false, nil
	case err != nil:
		return store.Saved{}, false, fmt.Errorf("postgres: saved %s: %w", id, err)
	}
	return sv, true, nil
}

// SavedMany returns the state of each stored article asked, in one query.
func (s *Store) SavedMany(ctx context.Context, ids []string) (map[string]store.Saved, error) {
	out := make(map[string]store.Saved, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	q, _, err := s.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: saved: %w", err)
	}
	rows, err := q.Query(ctx, `SELECT `+savedColumns+` FROM articles WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("postgres: saved: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		sv, err := scanSaved(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: saved: %w", err)
		}
		out[sv.ID] = sv
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: saved: %w", err)
	}
	return out, nil
}

// CanonicalsByFingerprint returns each fingerprint's earliest original,
// in one query.
func (s *Store) CanonicalsByFingerprint(ctx context.Context, fps []string) (map[string]string, error) {
	out := make(map[string]string, len(fps))
	if len(fps) == 0 {
		return out, nil
	}
	q, _, err := s.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: canonicals by fingerprint: %w", err)
	}
	rows, err := q.Query(ctx, `SELECT DISTINCT ON (fingerprint) fingerprint, id FROM articles
		WHERE fingerprint = ANY($1) AND duplicate_of = '' ORDER BY fingerprint, seq`, fps)
	if err != nil {
		return nil, fmt.Errorf("postgres: canonicals by fingerprint: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var fp, id string
		if err := rows.Scan(&fp, &id); err != nil {
			return nil, fmt.Errorf("postgres: canonicals by fingerprint: %w", err)
		}
		out[fp] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: canonicals by fingerprint: %w", err)
	}
	return out, nil
}

// queryStrings returns the one text column of a query's rows.
func queryStrings(ctx context.Context, q querier, sql string, args ...any) ([]string, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Copies returns the articles stored as duplicates of id, in ingest order.
func (s *Store) Copies(ctx context.Context, id string) ([]string, error) {
	if id == "" {
		return nil, nil
	}
	q, _, err := s.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: copies of %s: %w", id, err)
	}
	out, err := queryStrings(ctx, q, `SELECT id FROM articles WHERE duplicate_of = $1 AND duplicate_of <> '' ORDER BY seq`, id)
	if err != nil {
		return nil, fmt.Errorf("postgres: copies of %s: %w", id, err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// Seen returns the article last stored from the document read under
// sourceKey, when its digest is still digest.
func (s *Store) Seen(ctx context.Context, sourceKey, digest string) (string, bool, error) {
	if sourceKey == "" || digest == "" || checkText("key", sourceKey, "digest", digest) != nil {
		return "", false, nil
	}
	id, ok, err := s.oneString(ctx, `SELECT so.article_id FROM sources so
		JOIN articles a ON a.id = so.article_id WHERE so.key = $1 AND so.digest = $2`, sourceKey, digest)
	if err != nil {
		return "", false, fmt.Errorf("postgres: seen %q: %w", sourceKey, err)
	}
	return id, ok, nil
}

// articleQuery reads articles joined with their quotes, one row per quote;
// the body only on an article's first row.
const articleQuery = `SELECT a.id, a.source, a.url, COALESCE(o.name, ''), a.title,
	a.authors, a.contacts, a.pub_ns, a.pub_off, a.language,
	CASE WHEN q.ordinal > 0 THEN NULL ELSE a.text END,
	a.captions, a.fingerprint, a.duplicate_of, a.similarity, COALESCE(a.story_id, ''), a.ing_ns, a.ing_off,
	a.mod_ns, a.mod_off,
	q.ordinal, q.text, COALESCE(sp.name, ''), q.start, q."end", q.cue, q.partial, q.role, q.given
FROM articles a
LEFT JOIN outlets o ON o.id = a.outlet_id
LEFT JOIN quotes q ON q.article_id = a.id
LEFT JOIN speakers sp ON sp.id = q.speaker_id`

// Article returns one article with its quotes.
func (s *Store) Article(ctx context.Context, id string) (dossier.Article, error) {
	var found *dossier.Article
	q, _, err := s.reader(ctx)
	if err == nil {
		err = scanArticles(ctx, q, true, articleQuery+` WHERE a.id = $1 ORDER BY q.ordinal`, []any{id}, func(a dossier.Article) error {
			found = &a
			return nil
		})
	}
	if err != nil {
		return dossier.Article{}, fmt.Errorf("postgres: article %s: %w", id, err)
	}
	if found == nil {
		return dossier.Article{}, fmt.Errorf("postgres: article %s: %w", id, store.ErrNotFound)
	}
	return *found, nil
}

// Articles calls fn for every article with its quotes, in ingest order.
func (s *Store) Articles(ctx context.Context, fn func(dossier.Article) error) error {
	q, inTx, err := s.reader(ctx)
	if err == nil {
		err = scanArticles(ctx, q, inTx, articleQuery+` ORDER BY a.seq, q.ordinal`, nil, fn)
	}
	return unwrapCallback(err, "postgres: articles")
}

// scanArticles groups the rows of an articleQuery into articles and calls
// fn on each once its last quote is read; buffered (all read first) when
// fn might query the same connection.
func scanArticles(ctx context.Context, q querier, buffered bool, sql string, args []any, fn func(dossier.Article) error) error {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var (
		cur  dossier.Article
		have bool
		held []dossier.Article
	)
	emit := func(a dossier.Article) error {
		if buffered {
			held = append(held, a)
			return nil
		}
		if err := fn(a); err != nil {
			return callbackError{err}
		}
		return nil
	}
	for rows.Next() {
		var (
			id, source, url, outlet, title, language, fp, dupOf, storyID string
			authors, contacts, text, captions                            *string
			pubNs, pubOff, ingNs, ingOff, modNs, modOff                  *int64
			similarity                                                   float64
			ordinal, qStart, qEnd                                        *int64
			qText, qCue, qRole, qGiven                                   *string
			qSpeaker                                                     string
			qPartial                                                     *bool
		)
		err := rows.Scan(&id, &source, &url, &outlet, &title, &authors, &contacts, &pubNs, &pubOff, &language,
			&text, &captions, &fp, &dupOf, &similarity, &storyID, &ingNs, &ingOff, &modNs, &modOff,
			&ordinal, &qText, &qSpeaker, &qStart, &qEnd, &qCue, &qPartial, &qRole, &qGiven)
		if err != nil {
			return err
		}
		if !have || id != cur.ID {
			if have {
				if err := emit(cur); err != nil {
					return err
				}
			}
			cur = dossier.Article{
				ID: id, Source: source, URL: url, Outlet: outlet, Title: title, Language: language,
				Text: orEmpty(text), Fingerprint: fp, DuplicateOf: dupOf, Similarity: similarity, StoryID: storyID,
			}
			have = true
			if cur.Authors, err = decodeList(authors); err != nil {
				return fmt.Errorf("article %s: authors: %w", id, err)
			}
			if cur.Contacts, err = decodeList(contacts); err != nil {
				return fmt.Errorf("article %s: contacts: %w", id, err)
			}
			if cur.Captions, err = decodeList(captions); err != nil {
				return fmt.Errorf("article %s: captions: %w", id, err)
			}
			if cur.Published, err = decodeTime(pubNs, pubOff); err != nil {
				return fmt.Errorf("article %s: published: %w", id, err)
			}
			if cur.IngestedAt, err = decodeTime(ingNs, ingOff); err != nil {
				return fmt.Errorf("article %s: ingested at: %w", id, err)
			}
			if cur.Modified, err = decodeTime(modNs, modOff); err != nil {
				return fmt.Errorf("article %s: modified: %w", id, err)
			}
		}
		if ordinal != nil {
			qu := dossier.Quote{
				Text: orEmpty(qText), Speaker: qSpeaker, Start: int(deref(qStart)), End: int(deref(qEnd)),
				Cue: orEmpty(qCue), Partial: qPartial != nil && *qPartial, Role: orEmpty(qRole),
			}
			if g := orEmpty(qGiven); g != qSpeaker {
				qu.Given = g
			}
			cur.Quotes = append(cur.Quotes, qu)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	if have {
		if err := emit(cur); err != nil {
			return err
		}
	}
	for _, a := range held {
		if err := fn(a); err != nil {
			return callbackError{err}
		}
	}
	return nil
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
