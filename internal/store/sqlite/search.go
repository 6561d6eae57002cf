package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
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

// rankBlock is how many matches a ranked search ranks at once. A query
// matching more is ranked a block at a time, the newest (by key, which is
// ingest order) first: a page ranks a block or two whether a thousand
// articles match or all of them, where ranking every match made a common
// word's page cost in proportion to the store.
const rankBlock = 1000

// block is the keys of a block of matches: from from up to, not
// including, below; 0 is no bound.
type block struct{ from, below int64 }

// searchPlan is the SQL of one search, built from the parsed query only.
// Rows come from the index (fts) when some term or speaker must match,
// else from the tables (from).
type searchPlan struct {
	fts, match string // the index and the expression its rows match
	rank       string // a match's rank; "" when unranked
	join       string // how a match finds its article
	from       string // the rows, when not from the index
	where      []string
	args       []any  // of where
	key        string // the hit's key: an article's seq, a quote's rowid
	articles   bool   // some condition reads the articles table
}

func (p *searchPlan) and(cond string, args ...any) {
	p.where = append(p.where, cond)
	p.args = append(p.args, args...)
}

func (p *searchPlan) ranked() bool { return p.rank != "" }

// source is the FROM of a query of the plan's rows, those of the index
// in blk, with or without their rank and article, and its arguments.
func (p *searchPlan) source(blk block, rank, article bool) (string, []any) {
	if p.fts == "" {
		return p.from, nil
	}
	cols := "rowid AS k"
	if rank && p.ranked() {
		cols += ", " + p.rank + " AS r"
	}
	src := `(SELECT ` + cols + ` FROM ` + p.fts + ` WHERE ` + p.fts + ` MATCH ?`
	args := []any{p.match}
	if blk.from != 0 {
		src += ` AND rowid >= ?`
		args = append(args, blk.from)
	}
	if blk.below != 0 {
		src += ` AND rowid < ?`
		args = append(args, blk.below)
	}
	src += `) f`
	if article || p.articles {
		src += p.join
	}
	return src, args
}

// blockFrom is where the block of matches below below (0: the newest)
// begins: the key of the rankBlock'th match, 0 when fewer match (the
// block is the last). FTS5 walks its matches by rowid without ranking.
func (p *searchPlan) blockFrom(ctx context.Context, db querier, below int64) (int64, error) {
	var from int64
	text, args := p.walk(below)
	err := db.QueryRowContext(ctx, text, args...).Scan(&from)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("rank block: %w", err)
	}
	return from, nil
}

// walk is the SQL of blockFrom and its arguments.
func (p *searchPlan) walk(below int64) (string, []any) {
	src, args := p.source(block{below: below}, false, false)
	where := ""
	if len(p.where) > 0 {
		where = " WHERE " + strings.Join(p.where, " AND ")
	}
	return `SELECT f.k FROM ` + src + where + ` ORDER BY f.k DESC LIMIT 1 OFFSET ?`, append(append(args, p.args...), rankBlock-1)
}

// planSearch is the plan of sq; none says nothing can match (no outlet
// is named so).
func planSearch(ctx context.Context, db querier, sq store.SearchQuery) (p searchPlan, none bool, err error) {
	q := sq.Query
	pos, neg := q.Positive(), q.Negative()
	column := ""
	if sq.Quotes {
		column = "text"
	}
	switch {
	case !sq.Quotes && len(pos) > 0:
		p.fts, p.match = "article_search", matchOf("", pos, nil)
		p.rank = fmt.Sprintf("bm25(article_search, %g, %g)", titleWeight, textWeight)
		p.join, p.key = ` JOIN articles a ON a.seq = f.k`, "f.k"
	case !sq.Quotes:
		p.from, p.key = `articles a`, "a.seq"
	case len(pos) > 0 || len(q.Speakers) > 0:
		p.fts, p.match = "quote_search", matchOf(column, pos, q.Speakers)
		if len(pos) > 0 {
			p.rank = "bm25(quote_search)"
		}
		p.join, p.key = ` JOIN articles a ON a.seq = f.k >> `+quoteBits, "f.k"
	default:
		p.from = `quotes qq JOIN articles a ON a.id = qq.article_id`
		p.key = "(a.seq << " + quoteBits + " | qq.ordinal)"
	}
	key := p.key
	if len(neg) > 0 {
		switch {
		case p.fts != "":
			// In the expression, so that the index's walk by rowid
			// meets only the matches.
			p.match = "(" + p.match + ") NOT (" + anyOf(column, neg) + ")"
		case sq.Quotes:
			p.and(key+` NOT IN (SELECT rowid FROM quote_search WHERE quote_search MATCH ?)`, anyOf(column, neg))
		default:
			p.and(key+` NOT IN (SELECT rowid FROM article_search WHERE article_search MATCH ?)`, anyOf("", neg))
		}
	}
	if !sq.Quotes && len(q.Speakers) > 0 {
		k := key
		if p.fts != "" {
			// "+": a filter, not keys to look up in the index one by one,
			// which would cost the index's walk in rowid order.
			k = "+" + k
		}
		p.and(k+` IN (SELECT rowid >> `+quoteBits+` FROM quote_search WHERE quote_search MATCH ?)`, matchOf("", nil, q.Speakers))
	}
	for _, l := range q.Langs {
		p.and(`a.language = ?`, l)
		p.articles = true
	}
	if len(q.Outlets) > 0 {
		ids, err := outletsMatching(ctx, db, q.Outlets)
		if err != nil {
			return p, false, err
		}
		if len(ids) == 0 {
			return p, true, nil
		}
		p.and(`a.outlet_id IN (`+strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")+`)`, ids...)
		p.articles = true
	}
	if !q.From.IsZero() {
		p.and(`a.pub_ns >= ?`, q.From.UnixNano())
		p.articles = true
	}
	if !q.To.IsZero() {
		p.and(`a.pub_ns < ?`, q.To.AddDate(0, 0, 1).UnixNano())
		p.articles = true
	}
	return p, false, nil
}

func (s *Store) search(ctx context.Context, sq store.SearchQuery) (store.SearchPage, error) {
	page, texts, err := s.searchRows(ctx, sq)
	if err != nil {
		return store.SearchPage{}, err
	}
	// Snippets are made once the snapshot is released, so that a search
	// holds one of the pool's few connections for its reads alone.
	for i := range page.Hits {
		store.Highlight(&page.Hits[i], texts[i], sq.Query)
	}
	return page, nil
}

// searchRows reads a page of hits, without their snippets, and the text
// each matched in.
func (s *Store) searchRows(ctx context.Context, sq store.SearchQuery) (page store.SearchPage, texts []string, err error) {
	cur, after, err := store.DecodeSearchCursor(sq.Cursor)
	if err != nil {
		return page, nil, err
	}
	limit := store.PageLimit(sq.Limit)

	// A batch reads its own writes: those it holds back go in first.
	b, err := s.batchOf(ctx)
	if err != nil {
		return page, nil, err
	}
	if b != nil {
		if err := b.search.flush(ctx, b.tx); err != nil {
			return page, nil, err
		}
	}
	db, done, err := s.searchSnapshot(ctx, b)
	if err != nil {
		return page, nil, err
	}
	defer done()

	p, none, err := planSearch(ctx, db, sq)
	if err != nil || none {
		return page, nil, err
	}
	if after && cur.Ranked != p.ranked() {
		return page, nil, fmt.Errorf("%w: a cursor of another query", store.ErrBadCursor)
	}

	// The block of matches the page starts in, when ranked.
	var blk block
	if p.ranked() {
		if after {
			blk = block{cur.From, cur.Below}
		} else if blk.from, err = p.blockFrom(ctx, db, 0); err != nil {
			return page, nil, err
		}
	}
	var last store.SearchCursor
	for {
		sqlText, args := p.query(sq.Quotes, blk, cur, after, limit+1-len(page.Hits))
		more, err := scanHits(ctx, db, sqlText, args, &page, &texts, &last, limit, sq.Quotes, p.ranked(), blk)
		if err != nil {
			return page, nil, err
		}
		if more {
			page.Next = last.Encode()
			break
		}
		if !p.ranked() || blk.from == 0 {
			break
		}
		// The block is done: the page goes on with the one below it.
		blk.below, after = blk.from, false
		if blk.from, err = p.blockFrom(ctx, db, blk.below); err != nil {
			return page, nil, err
		}
	}
	return page, texts, nil
}

// query is the SQL of up to n hits of the plan within blk, after cur
// when after, and its arguments.
func (p *searchPlan) query(quotes bool, blk block, cur store.SearchCursor, after bool, n int) (string, []any) {
	key := p.key
	// A ranked page needs the articles table for its filters alone, and
	// joins it for the page's rows only; a listing by date orders by it.
	src, args := p.source(blk, true, !p.ranked())
	args = append(args, p.args...)
	where := slices.Clone(p.where)
	rank := "0.0"
	order := "a.pub_ns DESC, " + key + " DESC"
	if p.ranked() {
		rank = "f.r"
		order = "f.r, f.k"
		if after {
			where = append(where, `(f.r > ? OR (f.r = ? AND f.k > ?))`)
			args = append(args, cur.Rank, cur.Rank, cur.Key)
		}
	} else if after {
		if cur.Dated {
			where = append(where, `(a.pub_ns IS NULL OR a.pub_ns < ? OR (a.pub_ns = ? AND `+key+` < ?))`)
			args = append(args, cur.Published, cur.Published, cur.Key)
		} else {
			where = append(where, `(a.pub_ns IS NULL AND `+key+` < ?)`)
			args = append(args, cur.Key)
		}
	}
	w := ""
	if len(where) > 0 {
		w = " WHERE " + strings.Join(where, " AND ")
	}
	// The page's keys first, so that sorting carries no text; then the
	// hits' columns for those rows alone.
	hits := `SELECT ` + key + ` AS k, ` + rank + ` AS r FROM ` + src + w + ` ORDER BY ` + order + ` LIMIT ?`
	args = append(args, n)
	var sqlText string
	if quotes {
		sqlText = `WITH h AS (` + hits + `)
		SELECT h.k, h.r, a.id, COALESCE(a.story_id, ''), a.title, COALESCE(o.name, ''), a.language, a.pub_ns, a.pub_off, a.duplicate_of,
			q.text, COALESCE(sp.name, ''), q.given, q.role, q.start, q."end", q.cue, q.partial
		FROM h JOIN articles a ON a.seq = h.k >> ` + quoteBits + `
		JOIN quotes q ON q.article_id = a.id AND q.ordinal = (h.k & ` + quoteMask + `)
		LEFT JOIN speakers sp ON sp.id = q.speaker_id
		LEFT JOIN outlets o ON o.id = a.outlet_id`
	} else {
		sqlText = `WITH h AS (` + hits + `)
		SELECT h.k, h.r, a.id, COALESCE(a.story_id, ''), a.title, COALESCE(o.name, ''), a.language, a.pub_ns, a.pub_off, a.duplicate_of, a.text
		FROM h JOIN articles a ON a.seq = h.k
		LEFT JOIN outlets o ON o.id = a.outlet_id`
	}
	if p.ranked() {
		sqlText += ` ORDER BY h.r, h.k`
	} else {
		sqlText += ` ORDER BY a.pub_ns DESC, h.k DESC`
	}
	return sqlText, args
}

// scanHits runs a search's SQL and adds its hits to page and the texts
// they matched in to texts, up to limit, last being the cursor after the
// last one; more says a hit was left.
func scanHits(ctx context.Context, db querier, sqlText string, args []any, page *store.SearchPage, texts *[]string, last *store.SearchCursor,
	limit int, quotes, ranked bool, blk block) (more bool, err error) {
	rows, err := db.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	for rows.Next() {
		if len(page.Hits) == limit {
			return true, nil
		}
		var h store.SearchHit
		var k int64
		var pubNs, pubOff sql.NullInt64
		var text string
		dest := []any{&k, &h.Rank, &h.ArticleID, &h.StoryID, &h.Title, &h.Outlet, &h.Language, &pubNs, &pubOff, &h.DuplicateOf, &text}
		var quote dossier.Quote
		if quotes {
			dest = append(dest, &quote.Speaker, &quote.Given, &quote.Role, &quote.Start, &quote.End, &quote.Cue, &quote.Partial)
		}
		if err := rows.Scan(dest...); err != nil {
			return false, err
		}
		if h.Published, err = decodeTime(pubNs, pubOff); err != nil {
			return false, fmt.Errorf("article %s: %w", h.ArticleID, err)
		}
		if quotes {
			quote.Text = text
			if quote.Given == quote.Speaker {
				quote.Given = ""
			}
			h.Quote = &quote
		}
		page.Hits = append(page.Hits, h)
		*texts = append(*texts, text)
		*last = store.SearchCursor{Ranked: ranked, Rank: h.Rank, Dated: pubNs.Valid, Published: pubNs.Int64, Key: k, From: blk.from, Below: blk.below}
	}
	return false, rows.Err()
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
