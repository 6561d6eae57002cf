package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
)

// Put writes a with its outlet, quotes, speakers, story and streaming state in
// one transaction. An article already stored under a.ID is replaced but keeps
// its place in ingest order; when its story changes, the move is recorded
// (with st.Reason, "updated" when empty). A state with a source key is recorded for Seen.
// Cancelling ctx before Put returns rolls the whole write back.
func (s *Store) Put(ctx context.Context, a *dossier.Article, st store.State) error {
	if a == nil {
		return errors.New("sqlite: put article: nil article")
	}
	if err := s.put(ctx, a, st); err != nil {
		return fmt.Errorf("sqlite: put article %s: %w", a.ID, err)
	}
	return nil
}

// row holds an article's column values once encoded, so that encoding errors
// surface before the transaction starts.
type row struct {
	pubNs, pubOff, ingNs, ingOff any
	modNs, modOff                any
	authors, contacts, captions  any
	similarity                   float64
	oldPubNs, oldPubOff          sql.NullInt64
}

func encodeRow(a *dossier.Article) (row, error) {
	var r row
	var err error
	if a.ID == "" {
		return r, errors.New("empty id")
	}
	if r.pubNs, r.pubOff, err = encodeTime(a.Published); err != nil {
		return r, fmt.Errorf("published: %w", err)
	}
	if r.ingNs, r.ingOff, err = encodeTime(a.IngestedAt); err != nil {
		return r, fmt.Errorf("ingested at: %w", err)
	}
	if r.modNs, r.modOff, err = encodeTime(a.Modified); err != nil {
		return r, fmt.Errorf("modified: %w", err)
	}
	if r.authors, err = encodeList(a.Authors); err != nil {
		return r, fmt.Errorf("authors: %w", err)
	}
	if r.contacts, err = encodeList(a.Contacts); err != nil {
		return r, fmt.Errorf("contacts: %w", err)
	}
	if r.captions, err = encodeList(a.Captions); err != nil {
		return r, fmt.Errorf("captions: %w", err)
	}
	// SQLite stores NaN as NULL, which would not read back into a float.
	r.similarity = a.Similarity
	if math.IsNaN(r.similarity) {
		return r, errors.New("similarity is NaN")
	}
	return r, nil
}

func (s *Store) put(ctx context.Context, a *dossier.Article, st store.State) error {
	r, err := encodeRow(a)
	if err != nil {
		return err
	}
	features, err := s.pk.pack(st.Features)
	if err != nil {
		return fmt.Errorf("features: %w", err)
	}
	furniture, err := store.EncodeFurniture(st.Furniture)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *wtx) (err error) {

		var outletID sql.NullInt64
		if a.Outlet != "" {
			if outletID.Int64, err = upsertName(ctx, tx, s.stmt.outlet, a.Outlet); err != nil {
				return fmt.Errorf("outlet %q: %w", a.Outlet, err)
			}
			outletID.Valid = true
		}

		// A replaced article keeps its seq, so ingest order does not change when
		// an article is stored again.
		var seq int64
		var oldStory sql.NullString
		var old store.Contribution
		replaced := true
		err = tx.st(ctx, s.stmt.existing).QueryRowContext(ctx, a.ID).Scan(&oldStory, &old.Seq, &old.Outlet, &r.oldPubNs, &r.oldPubOff)
		seq = old.Seq
		if err == nil {
			old.Published, err = decodeTime(r.oldPubNs, r.oldPubOff)
		}
		switch {
		case errors.Is(err, sql.ErrNoRows):
			replaced = false
			if err = tx.st(ctx, s.stmt.nextSeq).QueryRowContext(ctx).Scan(&seq); err != nil {
				return fmt.Errorf("next seq: %w", err)
			}
		case err != nil:
			return fmt.Errorf("read existing: %w", err)
		}

		if a.StoryID != "" {
			_, err = tx.st(ctx, s.stmt.story).ExecContext(ctx,
				a.StoryID, a.Title, seq)
			if err != nil {
				return fmt.Errorf("story %s: %w", a.StoryID, err)
			}
			// The story's comparison no longer holds: Uncompared lists it.
			if _, err = tx.st(ctx, s.stmt.stale).ExecContext(ctx, a.StoryID); err != nil {
				return fmt.Errorf("story %s: %w", a.StoryID, err)
			}
		}

		_, err = tx.st(ctx, s.stmt.article).ExecContext(ctx,
			a.ID, seq, a.Source, a.URL, outletID, a.Title, r.authors, r.contacts, r.pubNs, r.pubOff, a.Language,
			a.Text, r.captions, a.Fingerprint, a.DuplicateOf, r.similarity, nullIfEmpty(a.StoryID), r.ingNs, r.ingOff,
			st.Signature, features, st.SourceKey, st.Digest, r.modNs, r.modOff, nullIfEmpty(furniture))
		if err != nil {
			return fmt.Errorf("write row: %w", err)
		}
		if st.SourceKey != "" {
			if _, err = tx.st(ctx, s.stmt.source).ExecContext(ctx, st.SourceKey, st.Digest, a.ID); err != nil {
				return fmt.Errorf("source %q: %w", st.SourceKey, err)
			}
		}

		if _, err = tx.st(ctx, s.stmt.clearQuotes).ExecContext(ctx, a.ID); err != nil {
			return fmt.Errorf("clear quotes: %w", err)
		}
		for i, q := range a.Quotes {
			var speakerID sql.NullInt64
			if q.Speaker != "" {
				if speakerID.Int64, err = upsertName(ctx, tx, s.stmt.speaker, q.Speaker); err != nil {
					return fmt.Errorf("speaker %q: %w", q.Speaker, err)
				}
				speakerID.Valid = true
			}
			_, err = tx.st(ctx, s.stmt.quote).ExecContext(ctx,
				a.ID, i, q.Text, speakerID, q.Start, q.End, q.Cue, q.Partial, q.Role, store.GivenName(q))
			if err != nil {
				return fmt.Errorf("quote %d: %w", i, err)
			}
		}

		if err = s.indexArticle(ctx, tx, seq, a, replaced); err != nil {
			return err
		}

		// The stories' aggregates, once the rows are written: a rebuild reads them.
		in := &store.Contribution{Seq: seq, Outlet: a.Outlet, Published: a.Published}
		var out *store.Contribution
		if replaced && oldStory.Valid {
			out = &old
		}
		switch {
		case oldStory.Valid && oldStory.String == a.StoryID:
			err = s.retally(ctx, tx, a.StoryID, out, in)
		default:
			if out != nil {
				// A story left empty is dropped, so that none is listed without articles.
				if err = s.stale(ctx, tx, oldStory.String); err == nil {
					err = s.retally(ctx, tx, oldStory.String, out, nil)
				}
			}
			if err == nil && a.StoryID != "" {
				err = s.retally(ctx, tx, a.StoryID, nil, in)
			}
		}
		if err != nil {
			return err
		}
		if replaced && oldStory.String != a.StoryID {
			reason := st.Reason
			if reason == "" {
				reason = "updated"
			}
			if err = recordMove(ctx, tx.st(ctx, s.stmt.move), a.ID, oldStory.String, a.StoryID, reason); err != nil {
				return err
			}
		}

		return nil
	})
}

// stale marks a story's comparison as no longer holding: Uncompared lists it.
func (s *Store) stale(ctx context.Context, tx *wtx, id string) error {
	if _, err := tx.st(ctx, s.stmt.stale).ExecContext(ctx, id); err != nil {
		return fmt.Errorf("story %s: %w", id, err)
	}
	return nil
}

// recordMove notes that article left story from for story to, now.
func recordMove(ctx context.Context, stmt *sql.Stmt, article, from, to, reason string) error {
	at, err := encodeText(time.Now().UTC())
	if err != nil {
		return fmt.Errorf("record move: %w", err)
	}
	if _, err := stmt.ExecContext(ctx, article, from, to, reason, at); err != nil {
		return fmt.Errorf("record move: %w", err)
	}
	return nil
}

// upsertName returns the id of name in an (id, name UNIQUE) table through
// stmt, adding the name when new.
func upsertName(ctx context.Context, tx *wtx, stmt *sql.Stmt, name string) (int64, error) {
	var id int64
	err := tx.st(ctx, stmt).QueryRowContext(ctx, name).Scan(&id)
	return id, err
}

const (
	nextSeqQuery = `INSERT INTO counters(name, value) VALUES ('article_seq', 1)
		ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value`
	insertMove     = `INSERT INTO moves(article_id, from_story, to_story, reason, at) VALUES (?, ?, ?, ?, ?)`
	dropStoryQuery = `DELETE FROM stories WHERE id = ?1
			AND NOT EXISTS (SELECT 1 FROM articles WHERE story_id = ?1)`
)

// writeStmts are the writer's statements, prepared once: parsing SQL was a
// third of the cost of a Put.
type writeStmts struct {
	outlet, speaker, existing, nextSeq, story, stale, article, source, move, clearQuotes, quote, dropStory *sql.Stmt
	saveTally, addStoryOutlet, dropStoryOutlet                                                             *sql.Stmt
	indexArticle, indexQuote, unindexArticle, unindexQuotes, unindexQuote                                  *sql.Stmt
	state                                                                                                  stateStmts
}

func prepareWrites(ctx context.Context, db *sql.DB) (*writeStmts, error) {
	// The no-op update makes RETURNING yield the id of a name already there.
	const upsert = `INSERT INTO %s(name) VALUES (?) ON CONFLICT(name) DO UPDATE SET name = excluded.name RETURNING id`
	var ws writeStmts
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&ws.outlet, fmt.Sprintf(upsert, "outlets")},
		{&ws.speaker, fmt.Sprintf(upsert, "speakers")},
		{&ws.existing, `SELECT a.story_id, a.seq, COALESCE(o.name, ''), a.pub_ns, a.pub_off
			FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id WHERE a.id = ?`},
		// A counter rather than MAX(seq)+1: removing the newest article
		// must not give its seq to the next.
		{&ws.nextSeq, nextSeqQuery},
		{&ws.story, `INSERT INTO stories(id, title, created) VALUES (?, ?, ?) ON CONFLICT(id) DO NOTHING`},
		{&ws.article, `INSERT INTO articles(
			id, seq, source, url, outlet_id, title, authors, contacts, pub_ns, pub_off, language,
			text, captions, fingerprint, duplicate_of, similarity, story_id, ing_ns, ing_off, signature, features,
			source_key, digest, mod_ns, mod_off, furniture)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET
			source = excluded.source, url = excluded.url, outlet_id = excluded.outlet_id,
			title = excluded.title, authors = excluded.authors, contacts = excluded.contacts,
			pub_ns = excluded.pub_ns, pub_off = excluded.pub_off, language = excluded.language, text = excluded.text,
			captions = excluded.captions, fingerprint = excluded.fingerprint,
			duplicate_of = excluded.duplicate_of, similarity = excluded.similarity,
			story_id = excluded.story_id, ing_ns = excluded.ing_ns, ing_off = excluded.ing_off,
			signature = excluded.signature, features = excluded.features,
			source_key = excluded.source_key, digest = excluded.digest,
			mod_ns = excluded.mod_ns, mod_off = excluded.mod_off, furniture = excluded.furniture`},
		{&ws.source, `INSERT INTO sources(key, digest, article_id) VALUES (?, ?, ?)
			ON CONFLICT(key) DO UPDATE SET digest = excluded.digest, article_id = excluded.article_id`},
		{&ws.move, insertMove},
		{&ws.clearQuotes, `DELETE FROM quotes WHERE article_id = ?`},
		{&ws.quote, `INSERT INTO quotes(article_id, ordinal, text, speaker_id, start, "end", cue, partial, role, given)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&ws.dropStory, dropStoryQuery},
		{&ws.stale, `UPDATE stories SET comparison = NULL WHERE id = ? AND comparison IS NOT NULL`},
		{&ws.saveTally, saveTallyQuery},
		{&ws.addStoryOutlet, addStoryOutletQuery},
		{&ws.dropStoryOutlet, dropStoryOutletQuery},
		{&ws.indexArticle, indexArticleQuery},
		{&ws.indexQuote, indexQuoteQuery},
		{&ws.unindexArticle, unindexArticleQuery},
		{&ws.unindexQuotes, unindexQuotesQuery},
		{&ws.unindexQuote, unindexQuoteQuery},
	} {
		stmt, err := db.PrepareContext(ctx, p.query)
		if err != nil {
			ws.close()
			return nil, fmt.Errorf("prepare %.40q: %w", p.query, err)
		}
		*p.dst = stmt
	}
	if err := ws.state.prepare(ctx, db); err != nil {
		ws.close()
		return nil, err
	}
	return &ws, nil
}

func (ws *writeStmts) close() {
	ws.state.close()
	for _, s := range []*sql.Stmt{ws.outlet, ws.speaker, ws.existing, ws.nextSeq, ws.story, ws.stale, ws.article, ws.source, ws.move, ws.clearQuotes, ws.quote, ws.dropStory, ws.saveTally, ws.addStoryOutlet, ws.dropStoryOutlet,
		ws.indexArticle, ws.indexQuote, ws.unindexArticle, ws.unindexQuotes, ws.unindexQuote} {
		if s != nil {
			_ = s.Close()
		}
	}
}
