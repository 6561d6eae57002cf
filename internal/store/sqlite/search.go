package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/query"
	"github.com/dossiernews/dossier/internal/store"
)

// quoteShift places a quote's ordinal in the low bits of its index rowid,
// under its article's seq; an article's quotes past maxQuotes go unindexed.
const (
	quoteShift = 20
	maxQuotes  = 1 << quoteShift
)

// quoteBits and quoteMask are quoteShift and maxQuotes-1 as SQL.
var (
	quoteBits = strconv.Itoa(quoteShift)
	quoteMask = strconv.Itoa(maxQuotes - 1)
)

// bm25 weights: a word in the title counts for more than one in the text.
const (
	titleWeight = 4.0
	textWeight  = 1.0
)

// indexText is text as the search index holds it.
func indexText(s string) string { return strings.Join(query.Tokens(s), " ") }

// indexArticle writes an article's title, text and quotes to the search
// index, replacing what was there under seq when replaced.
func (s *Store) indexArticle(ctx context.Context, tx *wtx, seq int64, a *dossier.Article, replaced bool) error {
	if replaced {
		if err := s.unindexArticle(ctx, tx, seq); err != nil {
			return err
		}
	}
	if err := s.indexWrite(ctx, tx, s.stmt.indexArticle, seq, indexText(a.Title), indexText(a.Text)); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	for i, q := range a.Quotes {
		if i >= maxQuotes {
			break
		}
		if err := s.indexQuote(ctx, tx, seq, i, q.Text, q.Speaker); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) indexQuote(ctx context.Context, tx *wtx, seq int64, ordinal int, text, speaker string) error {
	if err := s.indexWrite(ctx, tx, s.stmt.indexQuote, seq<<quoteShift|int64(ordinal), indexText(text), indexText(speaker)); err != nil {
		return fmt.Errorf("index quote %d: %w", ordinal, err)
	}
	return nil
}

// unindexQuote takes one quote out of the search index.
func (s *Store) unindexQuote(ctx context.Context, tx *wtx, seq int64, ordinal int) error {
	if err := s.indexWrite(ctx, tx, s.stmt.unindexQuote, seq<<quoteShift|int64(ordinal)); err != nil {
		return fmt.Errorf("unindex quote %d: %w", ordinal, err)
	}
	return nil
}

// unindexArticle takes an article and its quotes out of the search index.
func (s *Store) unindexArticle(ctx context.Context, tx *wtx, seq int64) error {
	if err := s.indexWrite(ctx, tx, s.stmt.unindexArticle, seq); err != nil {
		return fmt.Errorf("unindex: %w", err)
	}
	if err := s.indexWrite(ctx, tx, s.stmt.unindexQuotes, seq<<quoteShift, (seq+1)<<quoteShift); err != nil {
		return fmt.Errorf("unindex quotes: %w", err)
	}
	return nil
}

// indexWrite runs a write to the search index at once, or in a batch
// queues it for the batch's end. FTS5 flushes its pending writes at every
// savepoint of a transaction that has written it, and a batch makes one
// savepoint per Put: written as they come, the index cost twice the rest
// of a Put.
func (s *Store) indexWrite(ctx context.Context, tx *wtx, stmt *sql.Stmt, args ...any) error {
	b, err := s.batchOf(ctx)
	if err != nil {
		return err
	}
	if b == nil {
		_, err := tx.st(ctx, stmt).ExecContext(ctx, args...)
		return err
	}
	if b.search.add(stmt, args) {
		return b.search.flush(ctx, tx)
	}
	return nil
}

// maxPending bounds the bytes of text a batch holds back from the index.
const maxPending = 32 << 20

// searchQueue holds a batch's writes to the search index until it
// commits or reads the index. ops[:applied] have run.
type searchQueue struct {
	mu      sync.Mutex
	ops     []indexOp
	applied int
	pending int // bytes of text queued and not run
}

type indexOp struct {
	stmt *sql.Stmt
	args []any
}

// add queues a write and reports whether the queue should be flushed.
func (q *searchQueue) add(stmt *sql.Stmt, args []any) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.ops = append(q.ops, indexOp{stmt, args})
	for _, a := range args {
		if s, ok := a.(string); ok {
			q.pending += len(s)
		}
	}
	return q.pending > maxPending
}

// searchMark is a queue's state when a savepoint begins.
type searchMark struct{ n, applied int }

func (q *searchQueue) mark() searchMark {
	q.mu.Lock()
	defer q.mu.Unlock()
	return searchMark{len(q.ops), q.applied}
}

// rollback forgets the writes queued since m; those run since m were
// undone with the savepoint and run again at the next flush, when queued
// before it.
func (q *searchQueue) rollback(m searchMark) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.ops = q.ops[:m.n]
	q.applied = min(q.applied, m.applied)
}

// flush runs the queued writes in tx.
func (q *searchQueue) flush(ctx context.Context, tx *wtx) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.applied < len(q.ops) {
		op := q.ops[q.applied]
		if _, err := tx.st(ctx, op.stmt).ExecContext(ctx, op.args...); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
		q.applied++
	}
	q.pending = 0
	return nil
}

const (
	indexArticleQuery   = `INSERT INTO article_search(rowid, title, text) VALUES (?, ?, ?)`
	indexQuoteQuery     = `INSERT INTO quote_search(rowid, text, speaker) VALUES (?, ?, ?)`
	unindexArticleQuery = `DELETE FROM article_search WHERE rowid = ?`
	unindexQuotesQuery  = `DELETE FROM quote_search WHERE rowid >= ? AND rowid < ?`
	unindexQuoteQuery   = `DELETE FROM quote_search WHERE rowid = ?`
)

// migrateSearch fills the search index from the rows already stored.
func migrateSearch(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT seq, title, text FROM articles`)
	if err != nil {
		return err
	}
	type art struct {
		seq         int64
		title, text string
	}
	var arts []art
	for rows.Next() {
		var a art
		if err := rows.Scan(&a.seq, &a.title, &a.text); err != nil {
			rows.Close()
			return err
		}
		arts = append(arts, a)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, a := range arts {
		if _, err := tx.ExecContext(ctx, indexArticleQuery, a.seq, indexText(a.title), indexText(a.text)); err != nil {
			return fmt.Errorf("article %d: %w", a.seq, err)
		}
	}
	rows, err = tx.QueryContext(ctx, `SELECT a.seq, q.ordinal, q.text, COALESCE(sp.name, '')
		FROM quotes q JOIN articles a ON a.id = q.article_id LEFT JOIN speakers sp ON sp.id = q.speaker_id
		WHERE q.ordinal < ?`, maxQuotes)
	if err != nil {
		return err
	}
	type quo struct {
		key           int64
		text, speaker string
	}
	var qs []quo
	for rows.Next() {
		var q quo
		var seq, ord int64
		if err := rows.Scan(&seq, &ord, &q.text, &q.speaker); err != nil {
			rows.Close()
			return err
		}
		q.key = seq<<quoteShift | ord
		qs = append(qs, q)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, q := range qs {
		if _, err := tx.ExecContext(ctx, indexQuoteQuery, q.key, indexText(q.text), indexText(q.speaker)); err != nil {
			return fmt.Errorf("quote %d: %w", q.key, err)
		}
	}
	return nil
}

// Search returns a page of articles or quotes matching sq. See store.Store.
func (s *Store) Search(ctx context.Context, sq store.SearchQuery) (store.SearchPage, error) {
	page, err := s.search(ctx, sq)
	if err != nil {
		return store.SearchPage{}, fmt.Errorf("sqlite: search %q: %w", sq.Query.String(), err)
	}
	return page, nil
}

// phrase is a term as an FTS5 phrase: its tokens quoted, so that nothing
// a person typed reaches the engine's syntax (no token holds a quote).
func phrase(column string, t query.Term) string {
	p := `"` + strings.Join(t.Tokens, " ") + `"`
	if t.Prefix {
		p += " *"
	}
	if column != "" {
		p = column + " : " + p
	}
	return p
}

// matchOf joins terms into an FTS5 expression, "" when there are none.
func matchOf(column string, terms []query.Term, speakers [][]string) string {
	var parts []string
	for _, t := range terms {
		parts = append(parts, phrase(column, t))
	}
	for _, sp := range speakers {
		parts = append(parts, phrase("speaker", query.Term{Tokens: sp}))
	}
	return strings.Join(parts, " AND ")
}

// anyOf is an FTS5 expression matching any of terms.
func anyOf(column string, terms []query.Term) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		t.Exclude = false
		parts[i] = phrase(column, t)
	}
	return strings.Join(parts, " OR ")
}

// searchPlan is the SQL of one search, built from the parsed query only.
type searchPlan struct {
	from   string // the rows a search starts from, with k (key) and r (rank)
	where  []string
	args   []any  // of from, then of where
	key    string // the hit's key: an article's seq, a quote's rowid
	ranked bool
}

func (p *searchPlan) and(cond string, args ...any) {
	p.where = append(p.where, cond)
	p.args = append(p.args, args...)
}

func (s *Store) search(ctx context.Context, sq store.SearchQuery) (store.SearchPage, error) {
	cur, after, err := store.DecodeSearchCursor(sq.Cursor)
	if err != nil {
		return store.SearchPage{}, err
	}
	limit := store.PageLimit(sq.Limit)
	q := sq.Query
	pos, neg := q.Positive(), q.Negative()

	// A batch reads its own writes: those it holds back go in first.
	b, err := s.batchOf(ctx)
	if err != nil {
		return store.SearchPage{}, err
	}
	if b != nil {
		if err := b.search.flush(ctx, b.tx); err != nil {
			return store.SearchPage{}, err
		}
	}
	db, done, err := s.searchSnapshot(ctx, b)
	if err != nil {
		return store.SearchPage{}, err
	}
	defer done()

	// Where rows come from: the index's matches when some term or
	// speaker must match, else the table, then filtered. key is the
	// hit's order within its rank or date.
	var p searchPlan
	column := ""
	if sq.Quotes {
		column = "text"
	}
	switch {
	case !sq.Quotes && len(pos) > 0:
		p.from = fmt.Sprintf(`(SELECT rowid AS k, bm25(article_search, %g, %g) AS r FROM article_search WHERE article_search MATCH ?) f
			JOIN articles a ON a.seq = f.k`, titleWeight, textWeight)
		p.args = append(p.args, matchOf("", pos, nil))
		p.key, p.ranked = "f.k", true
	case !sq.Quotes:
		p.from, p.key = `articles a`, "a.seq"
	case len(pos) > 0 || len(q.Speakers) > 0:
		p.from = `(SELECT rowid AS k, bm25(quote_search) AS r FROM quote_search WHERE quote_search MATCH ?) f
			JOIN articles a ON a.seq = f.k >> ` + quoteBits
		p.args = append(p.args, matchOf(column, pos, q.Speakers))
		p.key, p.ranked = "f.k", len(pos) > 0
	default:
		p.from = `quotes qq JOIN articles a ON a.id = qq.article_id`
		p.key = "(a.seq << " + quoteBits + " | qq.ordinal)"
	}
	key := p.key
	if after && cur.Ranked != p.ranked {
		return store.SearchPage{}, fmt.Errorf("%w: a cursor of another query", store.ErrBadCursor)
	}

	if len(neg) > 0 {
		if sq.Quotes {
			p.and(key+` NOT IN (SELECT rowid FROM quote_search WHERE quote_search MATCH ?)`, anyOf(column, neg))
		} else {
			p.and(`a.seq NOT IN (SELECT rowid FROM article_search WHERE article_search MATCH ?)`, anyOf("", neg))
		}
	}
	if !sq.Quotes && len(q.Speakers) > 0 {
		p.and(`a.seq IN (SELECT rowid >> `+quoteBits+` FROM quote_search WHERE quote_search MATCH ?)`, matchOf("", nil, q.Speakers))
	}
	for _, l := range q.Langs {
		p.and(`a.language = ?`, l)
	}
	if len(q.Outlets) > 0 {
		ids, err := outletsMatching(ctx, db, q.Outlets)
		if err != nil {
			return store.SearchPage{}, err
		}
		if len(ids) == 0 {
			return store.SearchPage{}, nil
		}
		p.and(`a.outlet_id IN (`+strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")+`)`, ids...)
	}
	if !q.From.IsZero() {
		p.and(`a.pub_ns >= ?`, q.From.UnixNano())
	}
	if !q.To.IsZero() {
		p.and(`a.pub_ns < ?`, q.To.AddDate(0, 0, 1).UnixNano())
	}

	rank := "0.0"
	order := "a.pub_ns DESC, " + key + " DESC"
	if p.ranked {
		rank = "f.r"
		order = "f.r, f.k"
		if after {
			p.and(`(f.r > ? OR (f.r = ? AND f.k > ?))`, cur.Rank, cur.Rank, cur.Key)
		}
	} else if after {
		if cur.Dated {
			p.and(`(a.pub_ns IS NULL OR a.pub_ns < ? OR (a.pub_ns = ? AND `+key+` < ?))`, cur.Published, cur.Published, cur.Key)
		} else {
			p.and(`(a.pub_ns IS NULL AND `+key+` < ?)`, cur.Key)
		}
	}
	where := ""
	if len(p.where) > 0 {
		where = " WHERE " + strings.Join(p.where, " AND ")
	}
	// The page's keys first, so that sorting carries no text; then the
	// hits' columns for those rows alone.
	hits := `SELECT ` + key + ` AS k, ` + rank + ` AS r, a.pub_ns AS p FROM ` + p.from + where + ` ORDER BY ` + order + ` LIMIT ?`
	args := append(p.args, limit+1)
	var sqlText string
	if sq.Quotes {
		sqlText = `WITH h AS (` + hits + `)
		SELECT h.k, h.r, h.p, a.id, COALESCE(a.story_id, ''), a.title, COALESCE(o.name, ''), a.language, a.pub_ns, a.pub_off, a.duplicate_of,
			q.text, COALESCE(sp.name, ''), q.given, q.role, q.start, q."end", q.cue, q.partial
		FROM h JOIN articles a ON a.seq = h.k >> ` + quoteBits + `
		JOIN quotes q ON q.article_id = a.id AND q.ordinal = (h.k & ` + quoteMask + `)
		LEFT JOIN speakers sp ON sp.id = q.speaker_id
		LEFT JOIN outlets o ON o.id = a.outlet_id`
	} else {
		sqlText = `WITH h AS (` + hits + `)
		SELECT h.k, h.r, h.p, a.id, COALESCE(a.story_id, ''), a.title, COALESCE(o.name, ''), a.language, a.pub_ns, a.pub_off, a.duplicate_of, a.text
		FROM h JOIN articles a ON a.seq = h.k
		LEFT JOIN outlets o ON o.id = a.outlet_id`
	}
	if p.ranked {
		sqlText += ` ORDER BY h.r, h.k`
	} else {
		sqlText += ` ORDER BY h.p DESC, h.k DESC`
	}
	rows, err := db.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return store.SearchPage{}, err
	}
	defer rows.Close()
	var page store.SearchPage
	var last store.SearchCursor
	for rows.Next() {
		var h store.SearchHit
		var k int64
		var pub sql.NullInt64
		var pubNs, pubOff sql.NullInt64
		var text string
		dest := []any{&k, &h.Rank, &pub, &h.ArticleID, &h.StoryID, &h.Title, &h.Outlet, &h.Language, &pubNs, &pubOff, &h.DuplicateOf, &text}
		var quote dossier.Quote
		if sq.Quotes {
			dest = append(dest, &quote.Speaker, &quote.Given, &quote.Role, &quote.Start, &quote.End, &quote.Cue, &quote.Partial)
		}
		if err := rows.Scan(dest...); err != nil {
			return store.SearchPage{}, err
		}
		if len(page.Hits) == limit {
			page.Next = last.Encode()
			break
		}
		if h.Published, err = decodeTime(pubNs, pubOff); err != nil {
			return store.SearchPage{}, fmt.Errorf("article %s: %w", h.ArticleID, err)
		}
		if sq.Quotes {
			quote.Text = text
			if quote.Given == quote.Speaker {
				quote.Given = ""
			}
			h.Quote = &quote
		}
		store.Highlight(&h, text, q)
		page.Hits = append(page.Hits, h)
		last = store.SearchCursor{Ranked: p.ranked, Rank: h.Rank, Dated: pub.Valid, Published: pub.Int64, Key: k}
	}
	if err := rows.Err(); err != nil {
		return store.SearchPage{}, err
	}
	return page, nil
}

// searchSnapshot is a consistent view for a search: the batch's
// transaction when in one, else a read-only transaction of the search pool.
func (s *Store) searchSnapshot(ctx context.Context, b *batch) (querier, func(), error) {
	if b != nil {
		return b.tx, func() {}, nil
	}
	tx, err := s.rs.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, err
	}
	// Read-only: rolling back is how the snapshot is released.
	return tx, func() { _ = tx.Rollback() }, nil
}

// outletsMatching returns the ids of the outlets whose name, as tokens,
// holds every one of names as an adjacent run. The outlets are few: they
// are read whole.
func outletsMatching(ctx context.Context, db querier, names [][]string) ([]any, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, name FROM outlets ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("outlets: %w", err)
	}
	defer rows.Close()
	var ids []any
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("outlets: %w", err)
		}
		if store.NameMatches(query.Tokens(name), names) {
			ids = append(ids, id)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("outlets: %w", err)
	}
	return ids, nil
}
