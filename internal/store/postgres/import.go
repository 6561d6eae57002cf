package postgres

import (
	"bytes"
	"compress/flate"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/url"

	"github.com/jackc/pgx/v5"

	"github.com/dossiernews/dossier/internal/store/sqlite"
)

// sqliteSchema is the SQLite schema version ImportSQLite reads. The
// import reads SQLite's tables as they are, to carry everything across
// (aliases, moves, the streaming state, stories' titles and creation
// order): a new SQLite migration must be followed here, and the import
// test fails until it is.
const sqliteSchema = 12

// ImportSummary counts what an import copied.
type ImportSummary struct {
	Articles, Stories, Quotes int
}

// ImportSQLite copies the SQLite store at path, whole, into s, which must
// be empty: articles with their quotes, copies, stories with their
// comparisons, aliases, moves, sources and the streaming state, so that
// both stores export alike and an ingest goes on in either the same way.
// Both stores' writer locks are held meanwhile; the copy is one
// transaction, so that a failed import leaves s empty.
func (s *Store) ImportSQLite(ctx context.Context, path string) (ImportSummary, error) {
	sum, err := s.importSQLite(ctx, path)
	if err != nil {
		return ImportSummary{}, fmt.Errorf("postgres: import %s: %w", path, err)
	}
	return sum, nil
}

func (s *Store) importSQLite(ctx context.Context, path string) (sum ImportSummary, err error) {
	// Opening brings the file's schema up to date; its lock keeps
	// writers out during the copy.
	src, err := sqlite.Open(ctx, path)
	if err != nil {
		return sum, err
	}
	defer src.Close()
	if v, err := src.SchemaVersion(ctx); err != nil {
		return sum, err
	} else if v != sqliteSchema {
		return sum, fmt.Errorf("SQLite schema %d: this version imports schema %d", v, sqliteSchema)
	}
	unlockSrc, err := src.Lock(ctx, "dossier migrate (source)", nil)
	if err != nil {
		return sum, err
	}
	defer func() { err = errors.Join(err, unlockSrc()) }()
	unlock, err := s.Lock(ctx, "dossier migrate", nil)
	if err != nil {
		return sum, err
	}
	defer func() { err = errors.Join(err, unlock()) }()

	db, err := sql.Open("sqlite", path+"?"+url.Values{"_pragma": {"query_only(1)"}}.Encode())
	if err != nil {
		return sum, err
	}
	defer db.Close()
	rtx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return sum, err
	}
	defer func() { _ = rtx.Rollback() }()

	err = s.inTx(ctx, func(tx pgx.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM articles) + (SELECT COUNT(*) FROM stories)`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return errors.New("the PostgreSQL store is not empty")
		}
		im := &importer{ctx: ctx, src: rtx, dst: tx}
		return im.run(&sum)
	})
	return sum, err
}

// importer copies table by table, queueing the writes in pipelined batches.
type importer struct {
	ctx   context.Context
	src   *sql.Tx
	dst   pgx.Tx
	batch pgx.Batch
}

func (im *importer) queue(sql string, args ...any) error {
	im.batch.Queue(sql, args...)
	if im.batch.Len() >= 500 {
		return im.flush()
	}
	return nil
}

func (im *importer) flush() error {
	if im.batch.Len() == 0 {
		return nil
	}
	err := im.dst.SendBatch(im.ctx, &im.batch).Close()
	im.batch = pgx.Batch{}
	return err
}

// each runs a query on the SQLite store and calls fn with each row.
func (im *importer) each(what, query string, fn func(scan func(...any) error) error) error {
	rows, err := im.src.QueryContext(im.ctx, query)
	if err != nil {
		return fmt.Errorf("read %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", what, err)
	}
	return im.flush()
}

func (im *importer) run(sum *ImportSummary) error {
	steps := []func(*ImportSummary) error{im.names, im.stories, im.articles, im.quotes, im.rest, im.state, im.sequences}
	for _, step := range steps {
		if err := step(sum); err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) names(*ImportSummary) error {
	err := im.each("outlets", `SELECT id, name FROM outlets ORDER BY id`, func(scan func(...any) error) error {
		var id int64
		var name string
		if err := scan(&id, &name); err != nil {
			return err
		}
		if err := checkText("outlet", name); err != nil {
			return err
		}
		return im.queue(`INSERT INTO outlets(id, name) OVERRIDING SYSTEM VALUE VALUES ($1, $2)`, id, name)
	})
	if err != nil {
		return err
	}
	return im.each("speakers", `SELECT id, name FROM speakers ORDER BY id`, func(scan func(...any) error) error {
		var id int64
		var name string
		if err := scan(&id, &name); err != nil {
			return err
		}
		if err := checkText("speaker", name); err != nil {
			return err
		}
		return im.queue(`INSERT INTO speakers(id, name, name_tok) OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3)`, id, name, tokenText(name))
	})
}

// stories are read in rowid order, the order they were made in, which
// ord keeps.
func (im *importer) stories(sum *ImportSummary) error {
	return im.each("stories", `SELECT id, title, created, comparison, tally, size, first_ns, last_ns FROM stories ORDER BY rowid`,
		func(scan func(...any) error) error {
			var id, title string
			var created, size, first, last int64
			var comparison, tally []byte
			if err := scan(&id, &title, &created, &comparison, &tally, &size, &first, &last); err != nil {
				return err
			}
			if err := checkText("story", id, "title", title); err != nil {
				return err
			}
			c, err := unpack(comparison)
			if err != nil {
				return fmt.Errorf("story %s: comparison: %w", id, err)
			}
			sum.Stories++
			return im.queue(`INSERT INTO stories(id, title, created, comparison, tally, size, first_ns, last_ns)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, title, created, c, tally, size, first, last)
		})
}

func (im *importer) articles(sum *ImportSummary) error {
	return im.each("articles", `SELECT id, seq, source, url, outlet_id, title, authors, contacts, pub_ns, pub_off, language,
			text, captions, fingerprint, duplicate_of, similarity, story_id, ing_ns, ing_off, signature, features, source_key, digest,
			mod_ns, mod_off, furniture
		FROM articles ORDER BY seq`, func(scan func(...any) error) error {
		var (
			id, source, u, title, language, text, fp, dup, key, digest string
			seq                                                        int64
			outlet, pubNs, pubOff, ingNs, ingOff, modNs, modOff        sql.NullInt64
			authors, contacts, captions, story, furniture              sql.NullString
			similarity                                                 float64
			signature, features                                        []byte
		)
		if err := scan(&id, &seq, &source, &u, &outlet, &title, &authors, &contacts, &pubNs, &pubOff, &language,
			&text, &captions, &fp, &dup, &similarity, &story, &ingNs, &ingOff, &signature, &features, &key, &digest, &modNs, &modOff, &furniture); err != nil {
			return err
		}
		if err := checkText("id", id, "source", source, "url", u, "title", title, "language", language, "text", text,
			"fingerprint", fp, "duplicate of", dup, "source key", key, "digest", digest,
			"authors", authors.String, "contacts", contacts.String, "captions", captions.String, "story", story.String, "furniture", furniture.String); err != nil {
			return fmt.Errorf("article %s: %w", id, err)
		}
		f, err := unpack(features)
		if err != nil {
			return fmt.Errorf("article %s: features: %w", id, err)
		}
		ix := indexArticle(title, text)
		sum.Articles++
		return im.queue(`INSERT INTO articles(id, seq, source, url, outlet_id, title, authors, contacts, pub_ns, pub_off, language,
				text, captions, fingerprint, duplicate_of, similarity, story_id, ing_ns, ing_off, signature, features,
				source_key, digest, title_tok, text_tok, search, mod_ns, mod_off, furniture)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26::tsvector, $27, $28, $29)`,
			id, seq, source, u, nullInt(outlet), title, nullString(authors), nullString(contacts), nullInt(pubNs), nullInt(pubOff), language,
			text, nullString(captions), fp, dup, similarity, nullString(story), nullInt(ingNs), nullInt(ingOff), signature, f,
			key, digest, ix.titleTok, ix.textTok, ix.vector, nullInt(modNs), nullInt(modOff), nullString(furniture))
	})
}

func (im *importer) quotes(sum *ImportSummary) error {
	return im.each("quotes", `SELECT q.article_id, q.ordinal, q.text, q.speaker_id, q.start, q."end", q.cue, q.partial, q.role, q.given
		FROM quotes q JOIN articles a ON a.id = q.article_id ORDER BY a.seq, q.ordinal`, func(scan func(...any) error) error {
		var article, text, cue, role, given string
		var ordinal, start, end int64
		var speaker sql.NullInt64
		var partial bool
		if err := scan(&article, &ordinal, &text, &speaker, &start, &end, &cue, &partial, &role, &given); err != nil {
			return err
		}
		if err := checkText("quote", text, "cue", cue, "role", role, "given", given); err != nil {
			return fmt.Errorf("article %s: %w", article, err)
		}
		qi := indexQuote(text)
		sum.Quotes++
		return im.queue(`INSERT INTO quotes(article_id, ordinal, text, speaker_id, start, "end", cue, partial, role, given, text_tok, search)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::tsvector)`,
			article, ordinal, text, nullInt(speaker), start, end, cue, partial, role, given, qi.textTok, qi.vector)
	})
}

// rest copies the tables of names and history, row for row.
func (im *importer) rest(*ImportSummary) error {
	for _, t := range []struct {
		what, read, write string
		cols              int
	}{
		{"aliases", `SELECT kind, old, id FROM aliases ORDER BY kind, old`,
			`INSERT INTO aliases(kind, old, id) VALUES ($1, $2, $3)`, 3},
		{"sources", `SELECT key, digest, article_id FROM sources ORDER BY key`,
			`INSERT INTO sources(key, digest, article_id) VALUES ($1, $2, $3)`, 3},
		{"moves", `SELECT seq, article_id, from_story, to_story, reason, at FROM moves ORDER BY seq`,
			`INSERT INTO moves(seq, article_id, from_story, to_story, reason, at) OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5, $6)`, 6},
		{"story outlets", `SELECT outlet_id, story_id FROM story_outlets ORDER BY outlet_id, story_id`,
			`INSERT INTO story_outlets(outlet_id, story_id) VALUES ($1, $2)`, 2},
		{"story states", `SELECT story_id, state FROM story_states ORDER BY story_id`,
			`INSERT INTO story_states(story_id, state) VALUES ($1, $2)`, 2},
		{"terms", `SELECT h, n FROM terms ORDER BY h`, `INSERT INTO terms(h, n) VALUES ($1, $2)`, 2},
		{"docs", `SELECT value FROM counters WHERE name = 'docs'`, `INSERT INTO counters(name, value) VALUES ('docs', $1)`, 1},
		// Keys are bytes in PostgreSQL: CAST keeps SQLite from reading them as text.
		{"story keys", `SELECT CAST(key AS BLOB), story_id FROM story_keys ORDER BY key, story_id`,
			`INSERT INTO story_keys(key, story_id) VALUES ($1, $2)`, 2},
		{"story key counts", `SELECT CAST(key AS BLOB), n FROM story_key_counts ORDER BY key`,
			`INSERT INTO story_key_counts(key, n) VALUES ($1, $2)`, 2},
		// In the order added: the identity column numbers them alike.
		// (SQLite's story versions, 0009, serve its own page cache only.)
		{"templates", `SELECT outlet, version, lines, learned_at, pages, fresh FROM templates ORDER BY outlet`,
			`INSERT INTO templates(outlet, version, lines, learned_at, pages, fresh) VALUES ($1, $2, $3, $4, $5, $6)`, 6},
		{"recleans", `SELECT seq, article_id, at, version, removed, restored FROM recleans ORDER BY seq`,
			`INSERT INTO recleans(seq, article_id, at, version, removed, restored) VALUES ($1, $2, $3, $4, $5, $6)`, 6},
		{"template counts", `SELECT outlet, n FROM template_taught ORDER BY outlet`,
			`INSERT INTO template_taught(outlet, n) VALUES ($1, $2)`, 2},
		{"subscriptions", `SELECT url, added, last_poll, status, error, new_articles, etag, last_modified, items FROM subscriptions ORDER BY id`,
			`INSERT INTO subscriptions(url, added, last_poll, status, error, new_articles, etag, last_modified, items) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, 9},
	} {
		err := im.each(t.what, t.read, func(scan func(...any) error) error {
			vals := make([]any, t.cols)
			ptrs := make([]any, t.cols)
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := scan(ptrs...); err != nil {
				return err
			}
			for _, v := range vals {
				if s, ok := v.(string); ok {
					if err := checkText(t.what, s); err != nil {
						return err
					}
				}
			}
			return im.queue(t.write, vals...)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// state copies the LSH bands: SQLite keeps them in levels and as
// little-endian blobs, PostgreSQL in one table and as arrays.
func (im *importer) state(*ImportSummary) error {
	err := im.each("article bands", `SELECT ord, article_id, bands FROM article_bands ORDER BY ord`, func(scan func(...any) error) error {
		var ord int64
		var id string
		var blob []byte
		if err := scan(&ord, &id, &blob); err != nil {
			return err
		}
		if len(blob)%8 != 0 {
			return fmt.Errorf("article %s: %d bytes of bands, not a multiple of 8", id, len(blob))
		}
		bands := make([]int64, 0, len(blob)/8)
		for i := 0; i < len(blob); i += 8 {
			bands = append(bands, int64(binary.LittleEndian.Uint64(blob[i:])))
		}
		return im.queue(`INSERT INTO article_bands(ord, article_id, bands) VALUES ($1, $2, $3)`, ord, id, bands)
	})
	if err != nil {
		return err
	}
	return im.each("bands", `SELECT DISTINCT band, ord FROM band_articles WHERE level IN (SELECT level FROM band_levels) ORDER BY band, ord`,
		func(scan func(...any) error) error {
			var band, ord int64
			if err := scan(&band, &ord); err != nil {
				return err
			}
			return im.queue(`INSERT INTO band_articles(band, ord) VALUES ($1, $2) ON CONFLICT DO NOTHING`, band, ord)
		})
}

// sequences set each counter past what was copied, so that no number is
// handed out twice.
func (im *importer) sequences(*ImportSummary) error {
	counters := map[string]int64{}
	err := im.each("counters", `SELECT name, value FROM counters WHERE name IN ('article_seq', 'band_ord')`, func(scan func(...any) error) error {
		var name string
		var v int64
		if err := scan(&name, &v); err != nil {
			return err
		}
		counters[name] = v
		return nil
	})
	if err != nil {
		return err
	}
	for _, q := range []struct {
		seq  string
		have string
		ctr  int64
	}{
		{"article_seq", `SELECT COALESCE(MAX(seq), 0) FROM articles`, counters["article_seq"]},
		{"band_ord", `SELECT COALESCE(MAX(ord), 0) FROM article_bands`, counters["band_ord"]},
		{"outlets_id_seq", `SELECT COALESCE(MAX(id), 0) FROM outlets`, 0},
		{"speakers_id_seq", `SELECT COALESCE(MAX(id), 0) FROM speakers`, 0},
		{"moves_seq_seq", `SELECT COALESCE(MAX(seq), 0) FROM moves`, 0},
		{"recleans_seq_seq", `SELECT COALESCE(MAX(seq), 0) FROM recleans`, 0},
	} {
		var have int64
		if err := im.dst.QueryRow(im.ctx, q.have).Scan(&have); err != nil {
			return fmt.Errorf("sequence %s: %w", q.seq, err)
		}
		if v := max(have, q.ctr); v > 0 {
			if _, err := im.dst.Exec(im.ctx, `SELECT setval($1::regclass, $2)`, q.seq, v); err != nil {
				return fmt.Errorf("sequence %s: %w", q.seq, err)
			}
		}
	}
	return nil
}

// unpack inflates a blob the SQLite backend deflated; nil stays nil.
func unpack(b []byte) ([]byte, error) {
	if b == nil {
		return nil, nil
	}
	out, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(b)), maxUnpacked+1))
	if err != nil {
		return nil, err
	}
	if len(out) > maxUnpacked {
		return nil, fmt.Errorf("inflates to over %d bytes", maxUnpacked)
	}
	return out, nil
}

// maxUnpacked bounds what a blob may inflate to, so that a damaged row
// cannot exhaust memory.
const maxUnpacked = 64 << 20

func nullInt(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}

func nullString(v sql.NullString) *string {
	if !v.Valid {
		return nil
	}
	return &v.String
}
