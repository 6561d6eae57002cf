package postgres

import (
	"context"
	"fmt"
	"strings"

	dossier "github.com/dossiernews/dossier"
	"github.com/dossiernews/dossier/internal/query"
	"github.com/dossiernews/dossier/internal/store"
)

// quoteShift places a quote's ordinal under its article's seq in a quote
// hit's key, as the SQLite backend does.
const quoteShift = 20

// Search returns a page of articles or quotes matching sq. See store.Store.
func (s *Store) Search(ctx context.Context, sq store.SearchQuery) (store.SearchPage, error) {
	page, err := s.search(ctx, sq)
	if err != nil {
		return store.SearchPage{}, fmt.Errorf("postgres: search %q: %w", sq.Query.String(), err)
	}
	return page, nil
}

// tsquery is the tsquery literal requiring every token of terms (a
// prefix term's last one as a prefix); "" when there are none. It finds
// candidates: phrases are then checked on the token text.
func tsquery(terms []query.Term) string {
	var b strings.Builder
	for _, t := range terms {
		for i, tok := range t.Tokens {
			if tok == "" {
				continue
			}
			if b.Len() > 0 {
				b.WriteString(" & ")
			}
			l := lexeme(tok)
			quoteLexeme(&b, l)
			if (t.Prefix && i == len(t.Tokens)-1) || l != tok {
				b.WriteString(":*")
			}
		}
	}
	return b.String()
}

// exact says whether the tsvector alone decides a term: one token kept
// whole as a lexeme.
func exact(t query.Term) bool { return len(t.Tokens) == 1 && lexeme(t.Tokens[0]) == t.Tokens[0] }

// runPattern is what a term is found by in token text padded with spaces.
func runPattern(tokens []string, prefix bool) string {
	p := " " + strings.Join(tokens, " ")
	if !prefix {
		p += " "
	}
	return p
}

// inTokens is the SQL condition that term t occurs within one of cols.
func inTokens(a *args, t query.Term, cols ...string) string {
	p := a.add(runPattern(t.Tokens, t.Prefix))
	var parts []string
	for _, c := range cols {
		parts = append(parts, `strpos(' ' || `+c+` || ' ', `+p+`) > 0`)
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// matches is the condition that every term holds in vector vec and token
// columns cols; "" for none.
func matches(a *args, terms []query.Term, vec string, cols ...string) string {
	if len(terms) == 0 {
		return ""
	}
	conds := []string{vec + ` @@ ` + a.add(tsquery(terms)) + `::tsquery`}
	for _, t := range terms {
		if !exact(t) {
			conds = append(conds, inTokens(a, t, cols...))
		}
	}
	return strings.Join(conds, " AND ")
}

// matchesAny is the condition that some of terms holds.
func matchesAny(a *args, terms []query.Term, vec string, cols ...string) string {
	var parts []string
	for _, t := range terms {
		t.Exclude = false
		parts = append(parts, "("+matches(a, []query.Term{t}, vec, cols...)+")")
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// speakersMatching is the SQL of the speakers whose names hold every run.
func speakersMatching(a *args, runs [][]string) string {
	var conds []string
	for _, r := range runs {
		conds = append(conds, `strpos(' ' || sp.name_tok || ' ', `+a.add(runPattern(r, false))+`) > 0`)
	}
	return `SELECT sp.id FROM speakers sp WHERE ` + strings.Join(conds, " AND ")
}

func (s *Store) search(ctx context.Context, sq store.SearchQuery) (store.SearchPage, error) {
	cur, after, err := store.DecodeSearchCursor(sq.Cursor)
	if err != nil {
		return store.SearchPage{}, err
	}
	limit := store.PageLimit(sq.Limit)
	q := sq.Query
	pos, neg := q.Positive(), q.Negative()
	if err := checkQuery(q); err != nil {
		return store.SearchPage{}, nil // no stored text holds what text cannot
	}
	// One statement reads the hits: the pool's snapshot of it suffices.
	db, _, err := s.reader(ctx)
	if err != nil {
		return store.SearchPage{}, err
	}

	var a args
	var where []string
	and := func(c string) {
		if c != "" {
			where = append(where, c)
		}
	}
	var from, key, rank string
	ranked := false
	if sq.Quotes {
		from = `quotes qq JOIN articles a ON a.id = qq.article_id`
		key = `(a.seq << ` + fmt.Sprint(quoteShift) + ` | qq.ordinal)`
		if len(pos) > 0 {
			and(matches(&a, pos, "qq.search", "qq.text_tok"))
			rank = `(-ts_rank(qq.search, ` + a.add(tsquery(pos)) + `::tsquery))::float8`
			ranked = true
		}
		if len(q.Speakers) > 0 {
			and(`qq.speaker_id IN (` + speakersMatching(&a, q.Speakers) + `)`)
		}
		if len(neg) > 0 {
			and(`NOT ` + matchesAny(&a, neg, "qq.search", "qq.text_tok"))
		}
	} else {
		from, key = `articles a`, `a.seq`
		if len(pos) > 0 {
			and(matches(&a, pos, "a.search", "a.title_tok", "a.text_tok"))
			rank = `(-ts_rank(a.search, ` + a.add(tsquery(pos)) + `::tsquery))::float8`
			ranked = true
		}
		if len(neg) > 0 {
			and(`NOT ` + matchesAny(&a, neg, "a.search", "a.title_tok", "a.text_tok"))
		}
		if len(q.Speakers) > 0 {
			and(`a.id IN (SELECT qq.article_id FROM quotes qq WHERE qq.speaker_id IN (` + speakersMatching(&a, q.Speakers) + `))`)
		}
	}
	if after && cur.Ranked != ranked {
		return store.SearchPage{}, fmt.Errorf("%w: a cursor of another query", store.ErrBadCursor)
	}
	for _, l := range q.Langs {
		and(`a.language = ` + a.add(l))
	}
	if len(q.Outlets) > 0 {
		ids, err := outletsMatching(ctx, db, q.Outlets)
		if err != nil {
			return store.SearchPage{}, err
		}
		if len(ids) == 0 {
			return store.SearchPage{}, nil
		}
		and(`a.outlet_id = ANY(` + a.add(ids) + `)`)
	}
	if !q.From.IsZero() {
		and(`a.pub_ns >= ` + a.add(q.From.UnixNano()))
	}
	if !q.To.IsZero() {
		and(`a.pub_ns < ` + a.add(q.To.AddDate(0, 0, 1).UnixNano()))
	}
	order := `a.pub_ns DESC NULLS LAST, k DESC`
	if ranked {
		order = `r, k`
		if after {
			r := a.add(cur.Rank)
			and(`(` + rank + ` > ` + r + ` OR (` + rank + ` = ` + r + ` AND ` + key + ` > ` + a.add(cur.Key) + `))`)
		}
	} else {
		rank = `0::float8`
		if after {
			if cur.Dated {
				p := a.add(cur.Published)
				and(`(a.pub_ns IS NULL OR a.pub_ns < ` + p + ` OR (a.pub_ns = ` + p + ` AND ` + key + ` < ` + a.add(cur.Key) + `))`)
			} else {
				and(`(a.pub_ns IS NULL AND ` + key + ` < ` + a.add(cur.Key) + `)`)
			}
		}
	}
	cols := `a.id, COALESCE(a.story_id, ''), a.title, COALESCE(o.name, ''), a.language, a.pub_ns, a.pub_off, a.duplicate_of`
	if sq.Quotes {
		cols += `, qq.text, COALESCE(sp.name, ''), qq.given, qq.role, qq.start, qq."end", qq.cue, qq.partial`
		from += ` LEFT JOIN speakers sp ON sp.id = qq.speaker_id`
	} else {
		cols += `, a.text`
	}
	from += ` LEFT JOIN outlets o ON o.id = a.outlet_id`
	sql := `SELECT ` + key + ` AS k, ` + rank + ` AS r, ` + cols + ` FROM ` + from
	if len(where) > 0 {
		sql += ` WHERE ` + strings.Join(where, " AND ")
	}
	sql += ` ORDER BY ` + order + ` LIMIT ` + a.add(limit+1)
	rows, err := db.Query(ctx, sql, a...)
	if err != nil {
		return store.SearchPage{}, err
	}
	defer rows.Close()
	var page store.SearchPage
	var last store.SearchCursor
	for rows.Next() {
		var h store.SearchHit
		var k int64
		var pubNs, pubOff *int64
		var text string
		dest := []any{&k, &h.Rank, &h.ArticleID, &h.StoryID, &h.Title, &h.Outlet, &h.Language, &pubNs, &pubOff, &h.DuplicateOf, &text}
		var quote dossier.Quote
		var start, end int64
		if sq.Quotes {
			dest = append(dest, &quote.Speaker, &quote.Given, &quote.Role, &start, &end, &quote.Cue, &quote.Partial)
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
			quote.Text, quote.Start, quote.End = text, int(start), int(end)
			if quote.Given == quote.Speaker {
				quote.Given = ""
			}
			h.Quote = &quote
		}
		store.Highlight(&h, text, q)
		page.Hits = append(page.Hits, h)
		last = store.SearchCursor{Ranked: ranked, Rank: h.Rank, Dated: pubNs != nil, Published: deref(pubNs), Key: k}
	}
	if err := rows.Err(); err != nil {
		return store.SearchPage{}, err
	}
	return page, nil
}

// checkQuery refuses a query holding text PostgreSQL cannot take.
func checkQuery(q query.Query) error {
	var f []string
	for _, t := range q.Terms {
		for _, tok := range t.Tokens {
			f = append(f, "term", tok)
		}
	}
	for _, runs := range [][][]string{q.Speakers, q.Outlets} {
		for _, r := range runs {
			for _, tok := range r {
				f = append(f, "name", tok)
			}
		}
	}
	for _, l := range q.Langs {
		f = append(f, "lang", l)
	}
	return checkText(f...)
}

// outletsMatching returns the ids of the outlets whose name, as tokens,
// holds every one of names as an adjacent run. Outlets are few: read whole.
func outletsMatching(ctx context.Context, db querier, names [][]string) ([]int64, error) {
	rows, err := db.Query(ctx, `SELECT id, name FROM outlets ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("outlets: %w", err)
	}
	defer rows.Close()
	var ids []int64
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
