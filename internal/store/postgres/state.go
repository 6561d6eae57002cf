package postgres

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/jackc/pgx/v5"

	"github.com/dossiernews/dossier/internal/store"
)

// ClearState deletes the whole streaming state, in the current batch if any.
func (s *Store) ClearState(ctx context.Context) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `TRUNCATE terms, story_states, story_keys, story_key_counts, band_articles, article_bands;
			DELETE FROM counters WHERE name = 'docs'`)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: clear state: %w", err)
	}
	return nil
}

// ApplyState adds d to the streaming state, in the current batch if any.
// In a batch it takes no savepoint: a failure fails the batch.
func (s *Store) ApplyState(ctx context.Context, d store.StateDelta) error {
	if err := checkDelta(d); err != nil {
		return fmt.Errorf("postgres: apply state: %w", err)
	}
	b, err := s.batchOf(ctx)
	if err != nil {
		return fmt.Errorf("postgres: apply state: %w", err)
	}
	if b != nil {
		if err := applyState(ctx, b.tx, d); err != nil {
			b.fail(err)
			return fmt.Errorf("postgres: apply state: %w", err)
		}
		return nil
	}
	if err := s.inTx(ctx, func(tx pgx.Tx) error { return applyState(ctx, tx, d) }); err != nil {
		return fmt.Errorf("postgres: apply state: %w", err)
	}
	return nil
}

// checkDelta refuses the IDs a delta holds that PostgreSQL cannot take as
// text (terms and keys are stored as bytes).
func checkDelta(d store.StateDelta) error {
	var f []string
	for id := range d.Stories {
		f = append(f, "story", id)
	}
	for id := range d.StoryKeys {
		f = append(f, "story", id)
	}
	for id := range d.Bands {
		f = append(f, "article", id)
	}
	for _, c := range d.BandChanges {
		f = append(f, "article", c.ID)
	}
	return checkText(f...)
}

// applyState writes d in two round trips: one reads what the stories'
// keys and the articles' bands replace, and draws the places in band order
// that new articles may take; one writes everything, its statements
// pipelined in order. A later statement sees an earlier one's writes, so
// counts that reach zero are deleted by the next statement without reading
// them back.
func applyState(ctx context.Context, tx pgx.Tx, d store.StateDelta) error {
	keyStories := sortedKeys(d.StoryKeys)
	changes := make([]store.BandChange, 0, len(d.Bands)+len(d.BandChanges))
	for _, id := range sortedKeys(d.Bands) {
		changes = append(changes, store.BandChange{ID: id, Bands: d.Bands[id]})
	}
	changes = append(changes, d.BandChanges...)
	oldKeys := make([][]string, len(keyStories))
	reads := &pgx.Batch{}
	for i, id := range keyStories {
		reads.Queue(`SELECT key FROM story_keys WHERE story_id = $1`, id).Query(func(rows pgx.Rows) error {
			stored, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
			if err != nil {
				return fmt.Errorf("story %s: keys: %w", id, err)
			}
			for _, k := range stored {
				oldKeys[i] = append(oldKeys[i], string(k))
			}
			return nil
		})
	}
	bands := queueReadBands(reads, changes)
	if reads.Len() > 0 {
		if err := tx.SendBatch(ctx, reads).Close(); err != nil {
			return err
		}
	}

	w := &pgx.Batch{}
	if d.Docs != 0 {
		queueExec(w, "documents", `INSERT INTO counters(name, value) VALUES ('docs', $1)
			ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value`, d.Docs)
	}
	queueTerms(w, d.Terms)
	for _, id := range sortedKeys(d.Stories) {
		if b := d.Stories[id]; b == nil {
			queueExec(w, "story "+id+": state", `DELETE FROM story_states WHERE story_id = $1`, id)
		} else {
			queueExec(w, "story "+id+": state", `INSERT INTO story_states(story_id, state) VALUES ($1, $2)
				ON CONFLICT (story_id) DO UPDATE SET state = excluded.state`, id, b)
		}
	}
	for i, id := range keyStories {
		queueStoryKeys(w, id, oldKeys[i], d.StoryKeys[id])
	}
	for _, c := range changes {
		if err := bands.queue(w, c); err != nil {
			return err
		}
	}
	if w.Len() == 0 {
		return nil
	}
	return tx.SendBatch(ctx, w).Close()
}

// bandRows is the article_bands rows of a delta's articles as its changes
// leave them, one after another, with the places in band order drawn for
// the changes that file an article anew.
type bandRows struct {
	rows   map[string]storedBands
	places []int64 // drawn, ascending, taken from the front
}

// queueReadBands reads the stored bands of the changes' articles and draws
// as many places as the changes could take.
func queueReadBands(b *pgx.Batch, changes []store.BandChange) *bandRows {
	r := &bandRows{rows: make(map[string]storedBands, len(changes))}
	sets := 0
	for _, c := range changes {
		if len(c.Bands) > 0 {
			sets++
		}
		if _, ok := r.rows[c.ID]; ok {
			continue
		}
		r.rows[c.ID] = storedBands{}
		b.Queue(`SELECT ord, bands FROM article_bands WHERE article_id = $1`, c.ID).QueryRow(func(row pgx.Row) error {
			var old storedBands
			var stored []int64
			switch err := row.Scan(&old.ord, &stored); {
			case noRows(err):
				return nil
			case err != nil:
				return fmt.Errorf("article %s: bands: %w", c.ID, err)
			}
			for _, x := range stored {
				old.bands = append(old.bands, uint64(x))
			}
			r.rows[c.ID] = old
			return nil
		})
	}
	if sets > 0 {
		// Places a change does not take are left unused: band order is
		// the places' order, whatever gaps it has.
		b.Queue(`SELECT nextval('band_ord') FROM generate_series(1, $1)`, sets).Query(func(rows pgx.Rows) error {
			places, err := pgx.CollectRows(rows, pgx.RowTo[int64])
			if err != nil {
				return fmt.Errorf("bands: places: %w", err)
			}
			slices.Sort(places)
			r.places = places
			return nil
		})
	}
	return r
}

// queue writes one change, after those queued before it.
func (r *bandRows) queue(b *pgx.Batch, c store.BandChange) error {
	old := r.rows[c.ID]
	ord := old.ord
	if ord == 0 && len(c.Bands) > 0 {
		if len(r.places) == 0 {
			return fmt.Errorf("article %s: bands: no place drawn for it", c.ID)
		}
		ord, r.places = r.places[0], r.places[1:]
	}
	r.rows[c.ID] = queueBands(b, c.ID, old, c.Bands, ord)
	return nil
}

// queueTerms adds to the terms' document frequencies.
func queueTerms(b *pgx.Batch, terms map[string]int64) {
	// Summed by key: two terms sharing one (a hash collision) share a count.
	byKey := map[int64]int64{}
	for t, n := range terms {
		if n != 0 {
			byKey[store.TermKey(t)] += n
		}
	}
	if len(byKey) == 0 {
		return
	}
	keys := make([]int64, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the same delta locks rows in the same order
	ns := make([]int64, len(keys))
	for i, k := range keys {
		ns[i] = byKey[k]
	}
	queueExec(b, "terms", `INSERT INTO terms(h, n) SELECT * FROM unnest($1::bigint[], $2::bigint[])
		ON CONFLICT (h) DO UPDATE SET n = terms.n + excluded.n`, keys, ns)
	queueExec(b, "terms", `DELETE FROM terms WHERE h = ANY($1) AND n <= 0`, keys)
}

// queueStoryKeys replaces a story's keys, old, writing only those that
// changed and keeping each key's count of stories.
func queueStoryKeys(b *pgx.Batch, id string, old, keys []string) {
	what := "story " + id + ": keys"
	gone, added := sortedDiff(uniqueSorted(old), uniqueSorted(keys))
	if len(gone) > 0 {
		queueExec(b, what, `DELETE FROM story_keys WHERE story_id = $1 AND key = ANY($2)`, id, asBytes(gone))
		queueExec(b, what, `UPDATE story_key_counts SET n = n - 1 WHERE key = ANY($1)`, asBytes(gone))
		queueExec(b, what, `DELETE FROM story_key_counts WHERE key = ANY($1) AND n <= 0`, asBytes(gone))
	}
	if len(added) > 0 {
		queueExec(b, what, `INSERT INTO story_keys(key, story_id) SELECT k, $1 FROM unnest($2::bytea[]) k
			ON CONFLICT DO NOTHING`, id, asBytes(added))
		queueExec(b, what, `INSERT INTO story_key_counts(key, n) SELECT k, 1 FROM unnest($1::bytea[]) k
			ON CONFLICT (key) DO UPDATE SET n = story_key_counts.n + 1`, asBytes(added))
	}
}

// storedBands is an article's row of article_bands: ord 0 for none.
type storedBands struct {
	ord   int64
	bands []uint64
}

// queueBands replaces an article's bands, old, keeping its place in band
// order; a new article takes the place ord. It returns the row it leaves.
func queueBands(b *pgx.Batch, id string, old storedBands, bands []uint64, ord int64) storedBands {
	what := "article " + id + ": bands"
	was := slices.Clone(old.bands)
	slices.Sort(was)
	was = slices.Compact(was)
	bands = slices.Clone(bands)
	slices.Sort(bands)
	bands = slices.Compact(bands)
	gone, added := sortedDiff(was, bands)
	if len(gone) == 0 && len(added) == 0 {
		return old
	}
	if len(gone) > 0 {
		queueExec(b, what, `DELETE FROM band_articles WHERE ord = $1 AND band = ANY($2)`, old.ord, asInt64(gone))
	}
	if len(bands) == 0 {
		if old.ord != 0 {
			queueExec(b, what, `DELETE FROM article_bands WHERE ord = $1`, old.ord)
		}
		return storedBands{}
	}
	queueExec(b, what, `INSERT INTO band_articles(band, ord) SELECT b, $1 FROM unnest($2::bigint[]) b
		ON CONFLICT DO NOTHING`, ord, asInt64(added))
	queueExec(b, what, `INSERT INTO article_bands(ord, article_id, bands) VALUES ($1, $2, $3)
		ON CONFLICT (ord) DO UPDATE SET bands = excluded.bands`, ord, id, asInt64(bands))
	return storedBands{ord: ord, bands: bands}
}

// asBytes is strings as bytea values.
func asBytes(xs []string) [][]byte {
	out := make([][]byte, len(xs))
	for i, x := range xs {
		out[i] = []byte(x)
	}
	return out
}

// asInt64 is bands as the bit patterns a bigint holds.
func asInt64(bands []uint64) []int64 {
	out := make([]int64, len(bands))
	for i, b := range bands {
		out[i] = int64(b)
	}
	return out
}

// TermCounts returns the document count and the frequencies of the terms
// asked that have one, from one snapshot.
func (s *Store) TermCounts(ctx context.Context, terms []string) (int64, map[string]int64, error) {
	q, done, err := s.snapshot(ctx)
	if err != nil {
		return 0, nil, fmt.Errorf("postgres: term counts: %w", err)
	}
	defer done()
	var docs int64
	if err := q.QueryRow(ctx, `SELECT value FROM counters WHERE name = 'docs'`).Scan(&docs); err != nil && !noRows(err) {
		return 0, nil, fmt.Errorf("postgres: term counts: %w", err)
	}
	counts := make(map[string]int64, len(terms))
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
	if len(keys) == 0 {
		return docs, counts, nil
	}
	rows, err := q.Query(ctx, `SELECT h, n FROM terms WHERE h = ANY($1)`, keys)
	if err != nil {
		return 0, nil, fmt.Errorf("postgres: term counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h, n int64
		if err := rows.Scan(&h, &n); err != nil {
			return 0, nil, fmt.Errorf("postgres: term counts: %w", err)
		}
		for _, t := range byKey[h] {
			counts[t] = n
		}
	}
	if err := rows.Err(); err != nil {
		return 0, nil, fmt.Errorf("postgres: term counts: %w", err)
	}
	return docs, counts, nil
}

// validText keeps the strings that can be stored at all: the others have
// nothing stored under them.
func validText(xs []string) []string {
	return slices.DeleteFunc(xs, func(x string) bool { return checkText("", x) != nil })
}

// StoryStates returns the clustering state of the stories asked that have one.
func (s *Store) StoryStates(ctx context.Context, ids []string) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := s.readPairs(ctx, `SELECT story_id, state FROM story_states WHERE story_id = ANY($1)`, ids, func(rows pgx.Rows) error {
		var id string
		var b []byte
		if err := rows.Scan(&id, &b); err != nil {
			return err
		}
		if b == nil {
			b = []byte{}
		}
		out[id] = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: story states: %w", err)
	}
	return out, nil
}

// Signatures returns the stored signatures of the articles asked that have one.
func (s *Store) Signatures(ctx context.Context, ids []string) (map[string][]byte, error) {
	out := make(map[string][]byte, len(ids))
	err := s.readPairs(ctx, `SELECT id, signature FROM articles WHERE id = ANY($1) AND signature IS NOT NULL`, ids, func(rows pgx.Rows) error {
		var id string
		var b []byte
		if err := rows.Scan(&id, &b); err != nil {
			return err
		}
		if b == nil {
			b = []byte{}
		}
		out[id] = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: signatures: %w", err)
	}
	return out, nil
}

// readPairs runs a query over a list of text keys ($1).
func (s *Store) readPairs(ctx context.Context, sql string, keys []string, scan func(pgx.Rows) error) error {
	return s.readKeys(ctx, sql, validText(uniqueSorted(keys)), len(keys), scan)
}

// readKeys runs a query over a list of keys ($1), given as text[] or bytea[].
func (s *Store) readKeys(ctx context.Context, sql string, keys any, n int, scan func(pgx.Rows) error) error {
	q, _, err := s.reader(ctx)
	if err != nil || n == 0 {
		return err
	}
	rows, err := q.Query(ctx, sql, keys)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// StoriesWithKeys maps each key asked to the stories with it, in ID order,
// or to nil when more than limit have it.
func (s *Store) StoriesWithKeys(ctx context.Context, keys []string, limit int) (map[string][]string, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("postgres: stories with keys: limit %d, want 1 or more", limit)
	}
	out := map[string][]string{}
	keys = uniqueSorted(keys)
	// One row a key, its stories in an array: rows cost more than the
	// stories in them once keys have hundreds.
	err := s.readKeys(ctx, `SELECT c.key, c.n, (SELECT array_agg(s.story_id) FROM story_keys s
			WHERE c.n <= `+fmt.Sprint(limit)+` AND s.key = c.key)
		FROM story_key_counts c WHERE c.key = ANY($1)`, asBytes(keys), len(keys), func(rows pgx.Rows) error {
		var kb []byte
		var n int64
		var ids []string
		if err := rows.Scan(&kb, &n, &ids); err != nil {
			return err
		}
		k := string(kb)
		switch {
		case n > int64(limit):
			out[k] = nil
		case len(ids) > 0:
			out[k] = append(out[k], ids...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: stories with keys: %w", err)
	}
	for _, ids := range out {
		slices.Sort(ids)
	}
	return out, nil
}

// ArticlesInBands maps each band asked that has articles to the latest
// limit of them (all when limit is 0 or less), in the order their bands
// were first set.
func (s *Store) ArticlesInBands(ctx context.Context, bands []uint64, limit int) (map[uint64][]string, error) {
	q, _, err := s.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: articles in bands: %w", err)
	}
	bands = slices.Clone(bands)
	slices.Sort(bands)
	bands = slices.Compact(bands)
	if len(bands) == 0 {
		return map[uint64][]string{}, nil
	}
	hits := store.BandHits{}
	all := `SELECT b.band, b.ord, a.article_id FROM band_articles b
		JOIN article_bands a ON a.ord = b.ord WHERE b.band = ANY($1)`
	// Per band, its latest rows off the end of the (band, ord) key: an
	// index range however many the band holds.
	latest := `SELECT k.band, b.ord, a.article_id FROM unnest($1::bigint[]) AS k(band)
		CROSS JOIN LATERAL (SELECT x.ord FROM band_articles x WHERE x.band = k.band ORDER BY x.ord DESC LIMIT $2) b
		JOIN article_bands a ON a.ord = b.ord`
	var rows pgx.Rows
	if limit > 0 {
		rows, err = q.Query(ctx, latest, asInt64(bands), limit)
	} else {
		rows, err = q.Query(ctx, all, asInt64(bands))
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: articles in bands: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var b, ord int64
		var id string
		if err := rows.Scan(&b, &ord, &id); err != nil {
			return nil, fmt.Errorf("postgres: articles in bands: %w", err)
		}
		hits.Add(uint64(b), ord, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: articles in bands: %w", err)
	}
	return hits.Latest(limit), nil
}

// StoryFeatures returns up to limit originals of a story in ingest order
// with their clustering features.
func (s *Store) StoryFeatures(ctx context.Context, storyID string, limit int) ([]string, [][]byte, error) {
	q, _, err := s.reader(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: features of story %s: %w", storyID, err)
	}
	if checkText("story", storyID) != nil {
		return nil, nil, nil
	}
	rows, err := q.Query(ctx, `SELECT id, features FROM articles
		WHERE story_id = $1 AND duplicate_of = '' ORDER BY seq LIMIT $2`, storyID, max(limit, 0))
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: features of story %s: %w", storyID, err)
	}
	defer rows.Close()
	var ids []string
	var feats [][]byte
	for rows.Next() {
		var id string
		var f []byte
		if err := rows.Scan(&id, &f); err != nil {
			return nil, nil, fmt.Errorf("postgres: features of story %s: %w", storyID, err)
		}
		ids = append(ids, id)
		feats = append(feats, f)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("postgres: features of story %s: %w", storyID, err)
	}
	return ids, feats, nil
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
