package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/store"
)

// Put writes a with its outlet, quotes, speakers, story and state in one
// transaction. See store.Store.
func (s *Store) Put(ctx context.Context, a *dossier.Article, st store.State) error {
	if a == nil {
		return errors.New("postgres: put article: nil article")
	}
	if err := s.put(ctx, a, st); err != nil {
		return fmt.Errorf("postgres: put article %s: %w", a.ID, err)
	}
	return nil
}

// row is an article's column values, encoded before the transaction.
type row struct {
	pubNs, pubOff, ingNs, ingOff *int64
	modNs, modOff                *int64
	authors, contacts, captions  *string
	furniture                    *string
	ix                           articleIndex
}

func encodeRow(a *dossier.Article, st store.State) (row, error) {
	var r row
	var err error
	if a.ID == "" {
		return r, errors.New("empty id")
	}
	if err := checkText(articleText(a)...); err != nil {
		return r, err
	}
	if err := checkText("source key", st.SourceKey, "digest", st.Digest, "reason", st.Reason); err != nil {
		return r, err
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
	if f, err := store.EncodeFurniture(st.Furniture); err != nil {
		return r, err
	} else if f != "" {
		if err := checkText("furniture", f); err != nil {
			return r, err
		}
		r.furniture = &f
	}
	if math.IsNaN(a.Similarity) {
		return r, errors.New("similarity is NaN") // as SQLite refuses it
	}
	return r, nil
}

// existingQuery reads an article's row as a write changes it, locking it.
const existingQuery = `SELECT a.story_id, a.seq, COALESCE(o.name, ''), a.pub_ns, a.pub_off
	FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id WHERE a.id = $1 FOR UPDATE OF a`

// existingOrNextQuery is existingQuery with whether a row was found, or
// else the seq of a new article: one round trip either way. The sequence
// is only drawn when no row is found.
const existingOrNextQuery = `WITH e AS (` + existingQuery + `)
	SELECT true, * FROM e
	UNION ALL SELECT false, NULL::text, nextval('article_seq'), '', NULL::bigint, NULL::bigint WHERE NOT EXISTS (SELECT 1 FROM e)`

const outletQuery = `WITH ins AS (INSERT INTO outlets(name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id)
	SELECT id FROM ins UNION ALL SELECT id FROM outlets WHERE name = $1 LIMIT 1`

const articleUpsert = `INSERT INTO articles(
		id, seq, source, url, outlet_id, title, authors, contacts, pub_ns, pub_off, language,
		text, captions, fingerprint, duplicate_of, similarity, story_id, ing_ns, ing_off, signature, features,
		source_key, digest, title_tok, text_tok, search, mod_ns, mod_off, furniture)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26::tsvector, $27, $28, $29)
	ON CONFLICT (id) DO UPDATE SET
		source = excluded.source, url = excluded.url, outlet_id = excluded.outlet_id,
		title = excluded.title, authors = excluded.authors, contacts = excluded.contacts,
		pub_ns = excluded.pub_ns, pub_off = excluded.pub_off, language = excluded.language, text = excluded.text,
		captions = excluded.captions, fingerprint = excluded.fingerprint,
		duplicate_of = excluded.duplicate_of, similarity = excluded.similarity,
		story_id = excluded.story_id, ing_ns = excluded.ing_ns, ing_off = excluded.ing_off,
		signature = excluded.signature, features = excluded.features,
		source_key = excluded.source_key, digest = excluded.digest,
		title_tok = excluded.title_tok, text_tok = excluded.text_tok, search = excluded.search,
		mod_ns = excluded.mod_ns, mod_off = excluded.mod_off, furniture = excluded.furniture`

// put writes in two round trips, each a pipelined batch of statements run
// in order: a Put costs round trips far more than work. The first finds
// the outlet, the article's seq and its story's aggregate; the second
// writes the rows and the aggregate changed. An article that leaves a
// story, or an aggregate that must be rebuilt from the rows, takes a
// third: the second reads the story left, the third writes the two. In
// a batch, the first and the last take and release its savepoint.
//
// In a batch whose ctx came from store.WritesBehind, the article is
// checked and then written behind the caller (batch.sendBehind), from a
// copy of a and st: the caller's next streaming work overlaps the round
// trips, and the article's search index is made beside the writes before.
func (s *Store) put(ctx context.Context, a *dossier.Article, st store.State) error {
	r, err := encodeRow(a, st)
	if err != nil {
		return err
	}
	b, err := s.batchBehind(ctx)
	if err != nil {
		return err
	}
	if b != nil {
		a, st := detach(a, st)
		return b.sendBehind(func() { r.ix = indexArticle(a.Title, a.Text) }, func() error {
			if err := pipelinedBehind(ctx, b, s.putRows(ctx, a, st, r)); err != nil {
				return fmt.Errorf("put article %s: %w", a.ID, err)
			}
			return nil
		})
	}
	r.ix = indexArticle(a.Title, a.Text)
	return s.pipelined(ctx, s.putRows(ctx, a, st, r))
}

// detach copies what a write sent behind reads of a and st, which the
// caller may change once Put returns.
func detach(a *dossier.Article, st store.State) (*dossier.Article, store.State) {
	c := *a
	c.Quotes = slices.Clone(a.Quotes)
	st.Signature, st.Features = slices.Clone(st.Signature), slices.Clone(st.Features)
	return &c, st
}

// putRows is put's statements, for pipelined.
func (s *Store) putRows(ctx context.Context, a *dossier.Article, st store.State, r row) func(tx pgx.Tx, send func(*pgx.Batch) error) (*pgx.Batch, error) {
	return func(tx pgx.Tx, send func(*pgx.Batch) error) (*pgx.Batch, error) {
		var outletID *int64
		var oldStory *string
		var old store.Contribution
		var oldNs, oldOff *int64
		var replaced bool
		first := &pgx.Batch{}
		if a.Outlet != "" {
			first.Queue(outletQuery, a.Outlet).QueryRow(func(row pgx.Row) error {
				var id int64
				if err := row.Scan(&id); err != nil {
					return fmt.Errorf("outlet %q: %w", a.Outlet, err)
				}
				outletID = &id
				return nil
			})
		}
		first.Queue(existingOrNextQuery, a.ID).QueryRow(func(row pgx.Row) error {
			if err := row.Scan(&replaced, &oldStory, &old.Seq, &old.Outlet, &oldNs, &oldOff); err != nil {
				return fmt.Errorf("read existing: %w", err)
			}
			return nil
		})
		// The aggregate of the article's story is read first, so that
		// it is written with the rows: a story not made yet has none.
		var mine *tallyChange
		if a.StoryID != "" {
			mine = &tallyChange{id: a.StoryID}
			mine.queueLoadOrNone(first)
		}
		if err := send(first); err != nil {
			return nil, err
		}
		if replaced {
			var err error
			if old.Published, err = decodeTime(oldNs, oldOff); err != nil {
				return nil, fmt.Errorf("read existing: %w", err)
			}
		}
		seq := old.Seq

		rows := &pgx.Batch{}
		var storyID *string
		// Read with the first batch: a story there has its row, and a
		// new one no comparison to mark stale; a new article no quotes.
		if a.StoryID != "" {
			storyID = &a.StoryID
			if mine.stored {
				queueStale(rows, a.StoryID)
			} else {
				queueExec(rows, "story "+a.StoryID, `INSERT INTO stories(id, title, created) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`,
					a.StoryID, a.Title, seq)
			}
		}
		queueExec(rows, "write row", articleUpsert,
			a.ID, seq, a.Source, a.URL, outletID, a.Title, r.authors, r.contacts, r.pubNs, r.pubOff, a.Language,
			a.Text, r.captions, a.Fingerprint, a.DuplicateOf, a.Similarity, storyID, r.ingNs, r.ingOff,
			st.Signature, st.Features, st.SourceKey, st.Digest, r.ix.titleTok, r.ix.textTok, r.ix.vector, r.modNs, r.modOff, r.furniture)
		if st.SourceKey != "" {
			queueExec(rows, fmt.Sprintf("source %q", st.SourceKey), `INSERT INTO sources(key, digest, article_id) VALUES ($1, $2, $3)
				ON CONFLICT (key) DO UPDATE SET digest = excluded.digest, article_id = excluded.article_id`,
				st.SourceKey, st.Digest, a.ID)
		}
		if replaced {
			queueExec(rows, "clear quotes", `DELETE FROM quotes WHERE article_id = $1`, a.ID)
		}
		queueQuotes(rows, a)

		// The stories' aggregates, changed in Go. The article's story's
		// is written with the rows, unless it must be rebuilt from them;
		// that of a story it leaves is read with the rows and written,
		// with any rebuilt, by a last batch.
		in := &store.Contribution{Seq: seq, Outlet: a.Outlet, Published: a.Published}
		var out *store.Contribution
		if replaced && oldStory != nil {
			out = &old
		}
		var later []*tallyChange
		switch {
		case mine != nil && oldStory != nil && *oldStory == a.StoryID:
			mine.out, mine.in = out, in
		default:
			if out != nil {
				queueStale(rows, *oldStory)
				c := &tallyChange{id: *oldStory, out: out}
				c.queueLoad(rows)
				later = append(later, c)
			}
			if mine != nil {
				mine.in = in
			}
		}
		if mine != nil {
			if t, ok := mine.old.Change(mine.out, mine.in); ok {
				queueSaveTally(rows, mine.id, mine.old, t)
			} else {
				later = append(later, mine)
			}
		}
		moved := replaced && orEmpty(oldStory) != a.StoryID
		reason := st.Reason
		if reason == "" {
			reason = "updated"
		}
		if len(later) == 0 {
			if moved {
				queueMove(rows, a.ID, orEmpty(oldStory), a.StoryID, reason)
			}
			return rows, nil
		}
		if err := send(rows); err != nil {
			return nil, err
		}

		last := &pgx.Batch{}
		for _, c := range later {
			if err := c.queueSave(ctx, tx, last); err != nil {
				return nil, err
			}
		}
		if moved {
			queueMove(last, a.ID, orEmpty(oldStory), a.StoryID, reason)
		}
		return last, nil
	}
}

// queueExec queues a statement whose error is wrapped with what.
func queueExec(b *pgx.Batch, what, sql string, args ...any) {
	b.Queue(sql, args...).Fn = func(br pgx.BatchResults) error {
		if _, err := br.Exec(); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	}
}

// tallyChange is one story's aggregate changed by an article leaving
// (out) and one arriving (in), either nil.
type tallyChange struct {
	id      string
	out, in *store.Contribution
	old     store.Tally
	found   bool
	stored  bool // the story's row was read, not taken for none
}

// queueLoad reads the story's aggregate, locking its row.
func (c *tallyChange) queueLoad(b *pgx.Batch) { c.load(b, false) }

func (c *tallyChange) load(b *pgx.Batch, orNone bool) {
	b.Queue(`SELECT tally FROM stories WHERE id = $1 FOR UPDATE`, c.id).QueryRow(func(row pgx.Row) error {
		var raw []byte
		switch err := row.Scan(&raw); {
		case noRows(err):
			c.found = orNone
			return nil
		case err != nil:
			return fmt.Errorf("story %s: tally: %w", c.id, err)
		}
		t, err := store.DecodeTally(raw)
		if err != nil {
			return fmt.Errorf("story %s: %w", c.id, err)
		}
		c.old, c.found, c.stored = t, true, true
		return nil
	})
}

// queueLoadOrNone is queueLoad for a story that, when missing, is made
// before its aggregate is written: it then has none yet.
func (c *tallyChange) queueLoadOrNone(b *pgx.Batch) { c.load(b, true) }

// queueSave queues the writes of the changed aggregate, rebuilding it
// through q when store.Tally cannot correct it in place.
func (c *tallyChange) queueSave(ctx context.Context, q querier, b *pgx.Batch) error {
	if !c.found {
		return nil
	}
	t, ok := c.old.Change(c.out, c.in)
	if !ok {
		var err error
		if t, err = rebuildTally(ctx, q, c.id); err != nil {
			return fmt.Errorf("story %s: rebuild tally: %w", c.id, err)
		}
	}
	queueSaveTally(b, c.id, c.old, t)
	return nil
}

// queueQuotes writes an article's quotes in one statement, their new
// speakers in one before it.
func queueQuotes(b *pgx.Batch, a *dossier.Article) {
	if len(a.Quotes) == 0 {
		return
	}
	seen := map[string]bool{}
	var names, toks []string
	for _, q := range a.Quotes {
		if q.Speaker != "" && !seen[q.Speaker] {
			seen[q.Speaker] = true
			names = append(names, q.Speaker)
			toks = append(toks, tokenText(q.Speaker))
		}
	}
	if len(names) > 0 {
		// Sorted, so that two writers lock new names in one order.
		queueExec(b, "speakers", `INSERT INTO speakers(name, name_tok)
			SELECT name, tok FROM unnest($1::text[], $2::text[]) AS v(name, tok) ORDER BY 1
			ON CONFLICT (name) DO NOTHING`, names, toks)
	}
	n := len(a.Quotes)
	var (
		ordinal, start, end    = make([]int64, n), make([]int64, n), make([]int64, n)
		speaker                = make([]*string, n)
		text, cue, role, given = make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		textTok, vector        = make([]string, n), make([]string, n)
		partial                = make([]bool, n)
	)
	for i, q := range a.Quotes {
		ordinal[i], start[i], end[i] = int64(i), int64(q.Start), int64(q.End)
		if q.Speaker != "" {
			speaker[i] = ptr(q.Speaker)
		}
		text[i], cue[i], role[i], given[i], partial[i] = q.Text, q.Cue, q.Role, store.GivenName(q), q.Partial
		qi := indexQuote(q.Text)
		textTok[i], vector[i] = qi.textTok, qi.vector
	}
	queueExec(b, "quotes", `INSERT INTO quotes(article_id, ordinal, text, speaker_id, start, "end", cue, partial, role, given, text_tok, search)
		SELECT $1, o, t, sp.id, st, e, c, p, r, g, tt, v::tsvector
		FROM unnest($2::int[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::text[], $8::bool[], $9::text[], $10::text[], $11::text[], $12::text[])
			AS u(o, t, name, st, e, c, p, r, g, tt, v)
		LEFT JOIN speakers sp ON sp.name = u.name`,
		a.ID, ordinal, text, speaker, start, end, cue, partial, role, given, textTok, vector)
}

// stale marks a story's comparison as no longer holding.
func stale(ctx context.Context, tx querier, id string) error {
	if _, err := tx.Exec(ctx, staleQuery, id); err != nil {
		return fmt.Errorf("story %s: %w", id, err)
	}
	return nil
}

const staleQuery = `UPDATE stories SET comparison = NULL WHERE id = $1 AND comparison IS NOT NULL`

func queueStale(b *pgx.Batch, id string) { queueExec(b, "story "+id, staleQuery, id) }

const moveQuery = `INSERT INTO moves(article_id, from_story, to_story, reason, at) VALUES ($1, $2, $3, $4, $5)`

func recordMove(ctx context.Context, tx querier, article, from, to, reason string) error {
	at := time.Now().UTC().Format(time.RFC3339Nano)
	if _, err := tx.Exec(ctx, moveQuery, article, from, to, reason, at); err != nil {
		return fmt.Errorf("record move: %w", err)
	}
	return nil
}

func queueMove(b *pgx.Batch, article, from, to, reason string) {
	at := time.Now().UTC().Format(time.RFC3339Nano)
	queueExec(b, "record move", moveQuery, article, from, to, reason, at)
}

// rebuildTally aggregates a story anew from its articles.
func rebuildTally(ctx context.Context, q querier, id string) (store.Tally, error) {
	rows, err := q.Query(ctx, `SELECT a.seq, COALESCE(o.name, ''), a.pub_ns, a.pub_off
		FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id
		WHERE a.story_id = $1 ORDER BY a.seq`, id)
	if err != nil {
		return store.Tally{}, err
	}
	var cs []store.Contribution
	for rows.Next() {
		var c store.Contribution
		var ns, off *int64
		if err := rows.Scan(&c.Seq, &c.Outlet, &ns, &off); err != nil {
			rows.Close()
			return store.Tally{}, err
		}
		if c.Published, err = decodeTime(ns, off); err != nil {
			rows.Close()
			return store.Tally{}, fmt.Errorf("story %s: %w", id, err)
		}
		cs = append(cs, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return store.Tally{}, err
	}
	var t store.Tally
	for _, c := range cs {
		t.Add(c)
	}
	return t, nil
}

// queueSaveTally writes a story's new aggregate over old, keeping
// story_outlets in step; a story left without articles is dropped.
func queueSaveTally(b *pgx.Batch, id string, old, t store.Tally) {
	if t.Articles <= 0 {
		queueExec(b, "drop emptied story "+id, `DELETE FROM stories WHERE id = $1
			AND NOT EXISTS (SELECT 1 FROM articles WHERE story_id = $1)`, id)
		t = store.Tally{}
	} else {
		first, last := t.SortKeys()
		queueExec(b, "story "+id+": tally", `UPDATE stories SET tally = $1, size = $2, first_ns = $3, last_ns = $4 WHERE id = $5`,
			store.EncodeTally(t), t.Articles, first, last, id)
	}
	was, now := old.OutletNames(), t.OutletNames()
	for _, name := range was {
		if !slices.Contains(now, name) {
			queueExec(b, fmt.Sprintf("story %s: outlet %q", id, name), `DELETE FROM story_outlets
				WHERE outlet_id = (SELECT id FROM outlets WHERE name = $1) AND story_id = $2`, name, id)
		}
	}
	for _, name := range now {
		if !slices.Contains(was, name) {
			queueExec(b, fmt.Sprintf("story %s: outlet %q", id, name), `INSERT INTO story_outlets(outlet_id, story_id)
				SELECT id, $2 FROM outlets WHERE name = $1 ON CONFLICT DO NOTHING`, name, id)
		}
	}
}

// retally updates story id for one article leaving (out) and one arriving
// (in), either nil, as Put's batches do: a round trip to read, one to write.
func retally(ctx context.Context, tx pgx.Tx, id string, out, in *store.Contribution) error {
	c := &tallyChange{id: id, out: out, in: in}
	read := &pgx.Batch{}
	c.queueLoad(read)
	if err := tx.SendBatch(ctx, read).Close(); err != nil {
		return err
	}
	write := &pgx.Batch{}
	if err := c.queueSave(ctx, tx, write); err != nil || write.Len() == 0 {
		return err
	}
	return tx.SendBatch(ctx, write).Close()
}

// encodeComparison is a comparison as JSON bytes; the server compresses it.
func encodeComparison(c dossier.Comparison) ([]byte, error) { return json.Marshal(c) }

func decodeComparison(b []byte) (*dossier.Comparison, error) {
	var c dossier.Comparison
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("decode comparison: %w", err)
	}
	return &c, nil
}
