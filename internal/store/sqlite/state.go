package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/dossiernews/dossier/internal/store"
)

// stateStmts are the streaming state's statements. The list statements
// are prepared on first use, per size.
type stateStmts struct {
	termsAdd, termsGet, statesGet, keysGet, bandsGet, bandsLatest, bandsAdd, sigsGet *chunked
	keysAdd, keysDel, countsAdd, countsSub, countsGone                               *chunked
	single                                                                           map[string]*sql.Stmt
	// level0 is level 0's size in band rows (bandLevel0; less in tests).
	level0 int64
}

// The one-row statements, by name.
var stateSingle = map[string]string{
	"addDocs": `INSERT INTO counters(name, value) VALUES ('docs', ?)
		ON CONFLICT(name) DO UPDATE SET value = value + excluded.value`,
	"docs":      `SELECT value FROM counters WHERE name = 'docs'`,
	"termDel":   `DELETE FROM terms WHERE h = ? AND n <= 0`,
	"stateSet":  `INSERT INTO story_states(story_id, state) VALUES (?, ?) ON CONFLICT(story_id) DO UPDATE SET state = excluded.state`,
	"stateDel":  `DELETE FROM story_states WHERE story_id = ?`,
	"keysetGet": `SELECT keys FROM story_keysets WHERE story_id = ?`,
	"keysetSet": `INSERT INTO story_keysets(story_id, keys) VALUES (?, ?)
		ON CONFLICT(story_id) DO UPDATE SET keys = excluded.keys`,
	"keysetDel": `DELETE FROM story_keysets WHERE story_id = ?`,
	"bandOrd":   `INSERT INTO counters(name, value) VALUES ('band_ord', 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value`,
	"abandsGet": `SELECT ord, bands FROM article_bands WHERE article_id = ?`,
	"abandsSet": `INSERT INTO article_bands(ord, article_id, bands) VALUES (?, ?, ?)
		ON CONFLICT(ord) DO UPDATE SET bands = excluded.bands`,
	"abandsDel": `DELETE FROM article_bands WHERE ord = ?`,
	// A band row may be at any level.
	"bandDel": `DELETE FROM band_articles WHERE level IN (SELECT level FROM band_levels) AND band = ? AND ord = ?`,
	"levelAdd": `INSERT INTO band_levels(level, n) VALUES (?, ?)
		ON CONFLICT(level) DO UPDATE SET n = n + excluded.n`,
	"levels":     `SELECT level, n FROM band_levels ORDER BY level`,
	"levelMerge": `INSERT OR IGNORE INTO band_articles(level, band, ord) SELECT ?2, band, ord FROM band_articles WHERE level = ?1 ORDER BY band, ord`,
	"levelClear": `DELETE FROM band_articles WHERE level = ?`,
}

func (ss *stateStmts) prepare(ctx context.Context, db *sql.DB) error {
	ss.termsAdd = newChunked(func(n int) string {
		// RETURNING says which counts reached zero, to delete them.
		return `INSERT INTO terms(h, n) VALUES ` + placeholders(n, 2) + `
			ON CONFLICT(h) DO UPDATE SET n = n + excluded.n RETURNING h, n`
	})
	ss.termsGet = newChunked(func(n int) string {
		return `SELECT h, n FROM terms WHERE h IN (` + inList(n) + `)`
	})
	ss.statesGet = newChunked(func(n int) string {
		return `SELECT story_id, state FROM story_states WHERE story_id IN (` + inList(n) + `)`
	})
	ss.keysGet = newChunked(func(n int) string {
		// A key's count first: one more common than the limit costs its
		// count's row alone. A key's stories come in one row (see
		// splitPrefixed). DISTINCT drops the padding.
		return `WITH k(key) AS (VALUES ` + placeholders(n, 1) + `)
			SELECT c.key, c.n, (SELECT group_concat(length(CAST(s.story_id AS BLOB)) || ':' || s.story_id, '')
				FROM story_keys s WHERE c.n <= ? AND s.key = c.key)
			FROM (SELECT DISTINCT key FROM k) k
			JOIN story_key_counts c ON c.key = k.key`
	})
	ss.keysAdd = newChunked(func(n int) string {
		return `INSERT INTO story_keys(key, story_id) VALUES ` + placeholders(n, 2) + ` ON CONFLICT DO NOTHING`
	})
	ss.keysDel = newChunked(func(n int) string {
		return `DELETE FROM story_keys WHERE key IN (` + inList(n) + `) AND story_id = ?`
	})
	// A key changes by one per story: DISTINCT drops a chunk's padding,
	// which repeats its last key, and IN is a set.
	ss.countsAdd = newChunked(func(n int) string {
		return `WITH v(key) AS (VALUES ` + placeholders(n, 1) + `)
			INSERT INTO story_key_counts(key, n) SELECT DISTINCT key, 1 FROM v WHERE true
			ON CONFLICT(key) DO UPDATE SET n = n + 1`
	})
	ss.countsSub = newChunked(func(n int) string {
		return `UPDATE story_key_counts SET n = n - 1 WHERE key IN (` + inList(n) + `)`
	})
	ss.countsGone = newChunked(func(n int) string {
		return `DELETE FROM story_key_counts WHERE key IN (` + inList(n) + `) AND n <= 0`
	})
	ss.bandsGet = newChunked(func(n int) string {
		return `SELECT b.band, b.ord, a.article_id FROM band_articles b JOIN article_bands a ON a.ord = b.ord
			WHERE b.level IN (SELECT level FROM band_levels) AND b.band IN (` + inList(n) + `)`
	})
	ss.bandsLatest = newChunked(func(n int) string {
		// Per band and level, the rows from the limit-th latest on: an
		// index range, however many the band holds. ords start at 1.
		// CROSS JOIN keeps that loop order whatever the statistics say.
		return `WITH k(band) AS (VALUES ` + placeholders(n, 1) + `)
			SELECT b.band, b.ord, a.article_id FROM (SELECT DISTINCT band FROM k) k
			CROSS JOIN band_levels l
			CROSS JOIN band_articles b ON b.level = l.level AND b.band = k.band AND b.ord >= coalesce(
				(SELECT x.ord FROM band_articles x WHERE x.level = l.level AND x.band = k.band
					ORDER BY x.ord DESC LIMIT 1 OFFSET ?` + strconv.Itoa(n+1) + ` - 1), 0)
			CROSS JOIN article_bands a ON a.ord = b.ord`
	})
	ss.bandsAdd = newChunked(func(n int) string {
		return `INSERT INTO band_articles(level, band, ord) VALUES ` + placeholders(n, 3) + ` ON CONFLICT DO NOTHING`
	})
	ss.sigsGet = newChunked(func(n int) string {
		return `SELECT id, signature FROM articles WHERE id IN (` + inList(n) + `) AND signature IS NOT NULL`
	})
	for _, c := range ss.lists() {
		if err := c.prepareAll(ctx, db); err != nil {
			return err
		}
	}
	ss.level0 = bandLevel0
	ss.single = map[string]*sql.Stmt{}
	for name, q := range stateSingle {
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare %s: %w", name, err)
		}
		ss.single[name] = st
	}
	return nil
}

func (ss *stateStmts) lists() []*chunked {
	return []*chunked{ss.termsAdd, ss.termsGet, ss.statesGet, ss.keysGet, ss.keysAdd, ss.keysDel,
		ss.countsAdd, ss.countsSub, ss.countsGone, ss.bandsGet, ss.bandsLatest, ss.bandsAdd, ss.sigsGet}
}

func (ss *stateStmts) close() {
	for _, c := range ss.lists() {
		if c != nil {
			c.close()
		}
	}
	for _, st := range ss.single {
		_ = st.Close()
	}
}

// ApplyState adds d to the streaming state, in the current batch if any.
// ClearState deletes the whole streaming state, for a rebuild.
func (s *Store) ClearState(ctx context.Context) error {
	err := s.inTx(ctx, func(tx *wtx) error {
		for _, q := range []string{
			`DELETE FROM terms`, `DELETE FROM story_states`, `DELETE FROM story_keys`,
			`DELETE FROM story_key_counts`, `DELETE FROM story_keysets`, `DELETE FROM band_articles`, `DELETE FROM band_levels`, `DELETE FROM article_bands`,
			`DELETE FROM counters WHERE name = 'docs'`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: clear state: %w", err)
	}
	return nil
}

func (s *Store) ApplyState(ctx context.Context, d store.StateDelta) error {
	b, err := s.batchOf(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: apply state: %w", err)
	}
	if b != nil {
		// No savepoint: its journal would copy every page the delta
		// touches, which costs more than the writes. A failure fails the
		// whole batch instead, so that no part of a delta is committed.
		if err := s.applyState(ctx, b.tx, d); err != nil {
			b.fail(err)
			return fmt.Errorf("sqlite: apply state: %w", err)
		}
		return nil
	}
	if err := s.inTx(ctx, func(tx *wtx) error { return s.applyState(ctx, tx, d) }); err != nil {
		return fmt.Errorf("sqlite: apply state: %w", err)
	}
	return nil
}

func (s *Store) applyState(ctx context.Context, tx *wtx, d store.StateDelta) error {
	ss := &s.stmt.state
	one := func(name string) *sql.Stmt { return tx.st(ctx, ss.single[name]) }
	if d.Docs != 0 {
		if _, err := one("addDocs").ExecContext(ctx, d.Docs); err != nil {
			return fmt.Errorf("documents: %w", err)
		}
	}
	if err := s.applyTerms(ctx, tx, d.Terms); err != nil {
		return fmt.Errorf("terms: %w", err)
	}
	for _, id := range sortedKeys(d.Stories) {
		var err error
		if b := d.Stories[id]; b == nil {
			_, err = one("stateDel").ExecContext(ctx, id)
		} else {
			_, err = one("stateSet").ExecContext(ctx, id, b)
		}
		if err != nil {
			return fmt.Errorf("story %s: state: %w", id, err)
		}
	}
	for _, id := range sortedKeys(d.StoryKeys) {
		if err := s.setStoryKeys(ctx, tx, id, d.StoryKeys[id]); err != nil {
			return fmt.Errorf("story %s: keys: %w", id, err)
		}
	}
	added := int64(0)
	for _, id := range sortedKeys(d.Bands) {
		n, err := s.setBands(ctx, tx, id, d.Bands[id])
		if err != nil {
			return fmt.Errorf("article %s: bands: %w", id, err)
		}
		added += n
	}
	for _, c := range d.BandChanges {
		n, err := s.setBands(ctx, tx, c.ID, c.Bands)
		if err != nil {
			return fmt.Errorf("article %s: bands: %w", c.ID, err)
		}
		added += n
	}
	if added > 0 {
		if _, err := one("levelAdd").ExecContext(ctx, 0, added); err != nil {
			return fmt.Errorf("bands: %w", err)
		}
		if err := s.compactBands(ctx, tx); err != nil {
			return fmt.Errorf("bands: %w", err)
		}
	}
	return nil
}

// Band levels: level 0 holds up to bandLevel0 rows (two thousand
// originals' worth, some 600 pages, which stay in the cache), and each
// level bandFanout times the one before: three levels at a million
// originals. A merge costs about a row insert per row, so each row costs
// as many inserts as there are levels. Rows deleted are not counted off: a
// level merges a little early.
const (
	bandLevel0 = 1 << 17
	bandFanout = 16
)

// compactBands merges each full level into the next, from level 0 up.
func (s *Store) compactBands(ctx context.Context, tx *wtx) error {
	ss := &s.stmt.state
	rows, err := tx.st(ctx, ss.single["levels"]).QueryContext(ctx)
	if err != nil {
		return err
	}
	sizes := map[int64]int64{}
	for rows.Next() {
		var level, n int64
		if err := rows.Scan(&level, &n); err != nil {
			rows.Close()
			return err
		}
		sizes[level] = n
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	limit := ss.level0
	for level := int64(0); sizes[level] > limit; level++ {
		if _, err := tx.st(ctx, ss.single["levelMerge"]).ExecContext(ctx, level, level+1); err != nil {
			return fmt.Errorf("merge level %d: %w", level, err)
		}
		if _, err := tx.st(ctx, ss.single["levelClear"]).ExecContext(ctx, level); err != nil {
			return fmt.Errorf("clear level %d: %w", level, err)
		}
		if _, err := tx.st(ctx, ss.single["levelAdd"]).ExecContext(ctx, level+1, sizes[level]); err != nil {
			return err
		}
		if _, err := tx.st(ctx, ss.single["levelAdd"]).ExecContext(ctx, level, -sizes[level]); err != nil {
			return err
		}
		sizes[level+1] += sizes[level]
		limit *= bandFanout
	}
	return nil
}

// applyTerms adds the deltas, then deletes the counts at zero or below.
func (s *Store) applyTerms(ctx context.Context, tx *wtx, terms map[string]int64) error {
	list := make([]string, 0, len(terms))
	for t, n := range terms {
		if n != 0 {
			list = append(list, t)
		}
	}
	if len(list) == 0 {
		return nil
	}
	sort.Strings(list) // the same delta writes the same way
	var gone []int64
	err := runChunks(ctx, s.w, tx, s.stmt.state.termsAdd, nil, len(list),
		func(i int) []any { return []any{store.TermKey(list[i]), terms[list[i]]} },
		// Adding 0 to the last term again changes nothing.
		func(last []any) []any { return []any{last[0], int64(0)} },
		func(rows *sql.Rows) error {
			var t, n int64
			if err := rows.Scan(&t, &n); err != nil {
				return err
			}
			if n <= 0 {
				gone = append(gone, t)
			}
			return nil
		})
	if err != nil {
		return err
	}
	del := tx.st(ctx, s.stmt.state.single["termDel"])
	for _, t := range gone {
		if _, err := del.ExecContext(ctx, t); err != nil {
			return fmt.Errorf("delete term %x: %w", t, err)
		}
	}
	return nil
}

// setStoryKeys replaces a story's keys with keys, writing only the
// difference: a story's keys move little from one change to the next.
func (s *Store) setStoryKeys(ctx context.Context, tx *wtx, id string, keys []string) error {
	ss := &s.stmt.state
	var blob []byte
	err := tx.st(ctx, ss.single["keysetGet"]).QueryRowContext(ctx, id).Scan(&blob)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	old, err := decodeStrings(blob)
	if err != nil {
		return err
	}
	keys = uniqueSorted(keys)
	gone, added := sortedDiff(uniqueSorted(old), keys)
	if len(gone) > 0 {
		key := func(i int) []any { return []any{gone[i]} }
		if err := s.writeChunks(ctx, tx, ss.keysDel, []any{id}, len(gone), key); err != nil {
			return err
		}
		if err := s.writeChunks(ctx, tx, ss.countsSub, nil, len(gone), key); err != nil {
			return err
		}
		if err := s.writeChunks(ctx, tx, ss.countsGone, nil, len(gone), key); err != nil {
			return err
		}
	}
	if len(added) > 0 {
		err := s.writeChunks(ctx, tx, ss.keysAdd, nil, len(added),
			func(i int) []any { return []any{added[i], id} })
		if err != nil {
			return err
		}
		err = s.writeChunks(ctx, tx, ss.countsAdd, nil, len(added),
			func(i int) []any { return []any{added[i]} })
		if err != nil {
			return err
		}
	}
	if len(keys) == 0 {
		_, err := tx.st(ctx, ss.single["keysetDel"]).ExecContext(ctx, id)
		return err
	}
	if len(gone) == 0 && len(added) == 0 {
		return nil
	}
	_, err = tx.st(ctx, ss.single["keysetSet"]).ExecContext(ctx, id, encodeStrings(keys))
	return err
}

// writeChunks is runChunks for writes, without padding: items cut into
// runs of a power of two each (67 is 64, 2 and 1), since a padded row costs
// a write's lookup where it costs a read almost nothing.
func (s *Store) writeChunks(ctx context.Context, tx *wtx, c *chunked, suffix []any, items int, args func(i int) []any) error {
	for start := 0; start < items; {
		n := min(1<<(bits.Len(uint(items-start))-1), maxChunk)
		at := start
		if err := runChunks(ctx, s.w, tx, c, suffix, n, func(i int) []any { return args(at + i) }, same, nil); err != nil {
			return err
		}
		start += n
	}
	return nil
}

// sortedDiff returns what of the sorted sets a has that b has not, and the
// other way round.
func sortedDiff[T cmp.Ordered](a, b []T) (onlyA, onlyB []T) {
	for len(a) > 0 && len(b) > 0 {
		switch {
		case a[0] < b[0]:
			onlyA, a = append(onlyA, a[0]), a[1:]
		case a[0] > b[0]:
			onlyB, b = append(onlyB, b[0]), b[1:]
		default:
			a, b = a[1:], b[1:]
		}
	}
	return append(onlyA, a...), append(onlyB, b...)
}

// setBands replaces an article's bands, keeping its place in band order
// and writing only the bands that changed, to level 0; it returns how many
// rows it added.
func (s *Store) setBands(ctx context.Context, tx *wtx, id string, bands []uint64) (int64, error) {
	ss := &s.stmt.state
	var ord int64
	var blob []byte
	err := tx.st(ctx, ss.single["abandsGet"]).QueryRowContext(ctx, id).Scan(&ord, &blob)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	if len(blob)%8 != 0 {
		return 0, fmt.Errorf("stored bands: %d bytes, not a multiple of 8", len(blob))
	}
	old := make([]uint64, 0, len(blob)/8)
	for i := 0; i < len(blob); i += 8 {
		old = append(old, binary.LittleEndian.Uint64(blob[i:]))
	}
	bands = slices.Clone(bands)
	slices.Sort(bands)
	bands = slices.Compact(bands)
	slices.Sort(old) // sorted when written; a damaged list is diffed right too
	old = slices.Compact(old)
	gone, added := sortedDiff(old, bands)
	if len(gone) > 0 {
		del := tx.st(ctx, ss.single["bandDel"])
		for _, b := range gone {
			if _, err := del.ExecContext(ctx, int64(b), ord); err != nil {
				return 0, err
			}
		}
	}
	if len(bands) == 0 {
		if ord == 0 {
			return 0, nil
		}
		_, err := tx.st(ctx, ss.single["abandsDel"]).ExecContext(ctx, ord)
		return 0, err
	}
	if len(added) == 0 {
		return 0, nil // the same bands
	}
	if ord == 0 {
		if err := tx.st(ctx, ss.single["bandOrd"]).QueryRowContext(ctx).Scan(&ord); err != nil {
			return 0, err
		}
	}
	err = s.writeChunks(ctx, tx, ss.bandsAdd, nil, len(added),
		func(i int) []any { return []any{0, int64(added[i]), ord} })
	if err != nil {
		return 0, err
	}
	blob = make([]byte, 0, 8*len(bands))
	for _, b := range bands {
		blob = binary.LittleEndian.AppendUint64(blob, b)
	}
	_, err = tx.st(ctx, ss.single["abandsSet"]).ExecContext(ctx, ord, id, blob)
	return int64(len(added)), err
}

// via is where a read made with ctx runs: the batch's transaction (bound
// to the writer) or the reader pool.
func (s *Store) via(ctx context.Context) (*sql.DB, *wtx, error) {
	b, err := s.batchOf(ctx)
	if err != nil {
		return nil, nil, err
	}
	if b != nil {
		return s.w, b.tx, nil
	}
	return s.r, nil, nil
}

// TermCounts returns the document count and the frequencies of the terms
// asked that have one.
func (s *Store) TermCounts(ctx context.Context, terms []string) (int64, map[string]int64, error) {
	docs, counts, err := s.termCounts(ctx, terms)
	if err != nil {
		return 0, nil, fmt.Errorf("sqlite: term counts: %w", err)
	}
	return docs, counts, nil
}

func (s *Store) termCounts(ctx context.Context, terms []string) (int64, map[string]int64, error) {
	db, tx, err := s.via(ctx)
	if err != nil {
		return 0, nil, err
	}
	var q querier = db
	if tx != nil {
		q = tx
	}
	// One snapshot for the count and the terms.
	if tx == nil {
		rtx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return 0, nil, err
		}
		defer func() { _ = rtx.Rollback() }()
		q = rtx
		// Bound to rtx: a statement from the reader pool.
		tx = &wtx{Tx: rtx, bound: map[*sql.Stmt]*sql.Stmt{}}
	}
	var docs int64
	err = q.QueryRowContext(ctx, stateSingle["docs"]).Scan(&docs)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, nil, err
	}
	byKey := make(map[int64][]string, len(terms))
	keys := make([]int64, 0, len(terms))
	for _, t := range terms {
		k := store.TermKey(t)
		if !slices.Contains(byKey[k], t) {
			if byKey[k] == nil {
				keys = append(keys, k)
			}
			byKey[k] = append(byKey[k], t)
		}
	}
	counts := make(map[string]int64, len(terms))
	err = runChunks(ctx, db, tx, s.stmt.state.termsGet, nil, len(keys),
		func(i int) []any { return []any{keys[i]} }, same,
		func(rows *sql.Rows) error {
			var k, n int64
			if err := rows.Scan(&k, &n); err != nil {
				return err
			}
			for _, t := range byKey[k] {
				counts[t] = n
			}
			return nil
		})
	if err != nil {
		return 0, nil, err
	}
	return docs, counts, nil
}

// StoryStates returns the clustering state of the stories asked that have one.
func (s *Store) StoryStates(ctx context.Context, ids []string) (map[string][]byte, error) {
	db, tx, err := s.via(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: story states: %w", err)
	}
	out := map[string][]byte{}
	err = runChunks(ctx, db, tx, s.stmt.state.statesGet, nil, len(ids),
		func(i int) []any { return []any{ids[i]} }, same,
		func(rows *sql.Rows) error {
			var id string
			var b []byte
			if err := rows.Scan(&id, &b); err != nil {
				return err
			}
			if b == nil {
				b = []byte{} // an empty state is a state
			}
			out[id] = b
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("sqlite: story states: %w", err)
	}
	return out, nil
}

// StoriesWithKeys maps each key asked to the stories with it, in ID
// order, or to nil when more than limit have it.
func (s *Store) StoriesWithKeys(ctx context.Context, keys []string, limit int) (map[string][]string, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("sqlite: stories with keys: limit %d, want 1 or more", limit)
	}
	db, tx, err := s.via(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: stories with keys: %w", err)
	}
	keys = uniqueSorted(keys)
	out := map[string][]string{}
	err = runChunks(ctx, db, tx, s.stmt.state.keysGet, []any{limit}, len(keys),
		func(i int) []any { return []any{keys[i]} }, same,
		func(rows *sql.Rows) error {
			var k string
			var n int
			var id sql.NullString
			if err := rows.Scan(&k, &n, &id); err != nil {
				return err
			}
			switch {
			case n > limit:
				out[k] = nil
			case id.Valid:
				ids, err := splitPrefixed(id.String)
				if err != nil {
					return fmt.Errorf("key %q: %w", k, err)
				}
				out[k] = append(out[k], ids...)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("sqlite: stories with keys: %w", err)
	}
	for _, ids := range out {
		slices.Sort(ids)
	}
	return out, nil
}

// ArticlesInBands maps each band asked that has articles to the latest
// limit of them (all for limit 0 or less), in the order their bands were
// first set.
func (s *Store) ArticlesInBands(ctx context.Context, bands []uint64, limit int) (map[uint64][]string, error) {
	db, tx, err := s.via(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: articles in bands: %w", err)
	}
	bands = slices.Clone(bands)
	slices.Sort(bands)
	bands = slices.Compact(bands)
	hits := store.BandHits{}
	c, suffix := s.stmt.state.bandsGet, []any(nil)
	if limit > 0 {
		c, suffix = s.stmt.state.bandsLatest, []any{limit}
	}
	err = runChunks(ctx, db, tx, c, suffix, len(bands),
		func(i int) []any { return []any{int64(bands[i])} }, same,
		func(rows *sql.Rows) error {
			var b, ord int64
			var id string
			if err := rows.Scan(&b, &ord, &id); err != nil {
				return err
			}
			// Asked once each (a padded repeat too: IN is a set).
			hits.Add(uint64(b), ord, id)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("sqlite: articles in bands: %w", err)
	}
	// Levels come in any order, each with up to limit.
	return hits.Latest(limit), nil
}

// Signatures returns the stored signatures of the articles asked that
// have one.
func (s *Store) Signatures(ctx context.Context, ids []string) (map[string][]byte, error) {
	db, tx, err := s.via(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: signatures: %w", err)
	}
	out := make(map[string][]byte, len(ids))
	err = runChunks(ctx, db, tx, s.stmt.state.sigsGet, nil, len(ids),
		func(i int) []any { return []any{ids[i]} }, same,
		func(rows *sql.Rows) error {
			var id string
			var b []byte
			if err := rows.Scan(&id, &b); err != nil {
				return err
			}
			out[id] = b
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("sqlite: signatures: %w", err)
	}
	return out, nil
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func uniqueSorted(xs []string) []string {
	xs = slices.Clone(xs)
	slices.Sort(xs)
	return slices.Compact(xs)
}

// encodeStrings is a string list as length-prefixed bytes.
func encodeStrings(xs []string) []byte {
	var b []byte
	for _, x := range xs {
		b = binary.AppendUvarint(b, uint64(len(x)))
		b = append(b, x...)
	}
	return b
}

// splitPrefixed splits strings written one after another, each after its
// length in bytes and a colon ("3:abc2:de"), as the key lookup has SQLite
// concatenate them: one row a key instead of one a story, which is most of
// a lookup's cost once keys have hundreds of stories.
func splitPrefixed(s string) ([]string, error) {
	var out []string
	for s != "" {
		colon := strings.IndexByte(s, ':')
		if colon <= 0 {
			return nil, errors.New("damaged story list")
		}
		n, err := strconv.Atoi(s[:colon])
		if err != nil || n < 0 || n > len(s)-colon-1 {
			return nil, errors.New("damaged story list")
		}
		out = append(out, s[colon+1:colon+1+n])
		s = s[colon+1+n:]
	}
	return out, nil
}

func decodeStrings(b []byte) ([]string, error) {
	var out []string
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return nil, errors.New("damaged key list")
		}
		out = append(out, string(b[k:k+int(n)]))
		b = b[k+int(n):]
	}
	return out, nil
}
