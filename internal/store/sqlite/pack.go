package sqlite

import (
	"bytes"
	"compress/flate"
	"context"
	"database/sql"
	"fmt"
	"io"
	"sync"
)

// packer deflates the large opaque blobs (clustering features, comparison
// JSON), which compress to about half and a fifth: a quarter of the store.
// Flate's state is large, so writers and readers are pooled per Store.
type packer struct {
	writers, readers sync.Pool
}

// maxUnpacked bounds what a stored blob may inflate to, so that a damaged
// row cannot exhaust memory.
const maxUnpacked = 64 << 20

// pack deflates b; nil stays nil (NULL).
func (p *packer) pack(b []byte) ([]byte, error) {
	if b == nil {
		return nil, nil
	}
	var out bytes.Buffer
	w, _ := p.writers.Get().(*flate.Writer)
	if w == nil {
		var err error
		if w, err = flate.NewWriter(&out, flate.DefaultCompression); err != nil {
			return nil, err
		}
	} else {
		w.Reset(&out)
	}
	defer p.writers.Put(w)
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// unpack inflates what pack made; nil stays nil.
func (p *packer) unpack(b []byte) ([]byte, error) {
	if b == nil {
		return nil, nil
	}
	r, _ := p.readers.Get().(io.ReadCloser)
	if r == nil {
		r = flate.NewReader(bytes.NewReader(b))
	} else if err := r.(flate.Resetter).Reset(bytes.NewReader(b), nil); err != nil {
		return nil, err
	}
	defer p.readers.Put(r)
	out, err := io.ReadAll(io.LimitReader(r, maxUnpacked+1))
	if err != nil {
		return nil, fmt.Errorf("inflate stored blob: %w", err)
	}
	if len(out) > maxUnpacked {
		return nil, fmt.Errorf("inflate stored blob: over %d bytes", maxUnpacked)
	}
	return out, nil
}

// migratePack is migration 0006's step: deflate the blobs stored raw.
func migratePack(ctx context.Context, tx *sql.Tx) error {
	var p packer
	for _, c := range []struct{ table, key, col string }{
		{"articles", "id", "features"},
		{"stories", "id", "comparison"},
	} {
		rows, err := tx.QueryContext(ctx, `SELECT `+c.key+`, `+c.col+` FROM `+c.table+` WHERE `+c.col+` IS NOT NULL`)
		if err != nil {
			return err
		}
		type blob struct {
			key string
			b   []byte
		}
		var all []blob
		for rows.Next() {
			var x blob
			if err := rows.Scan(&x.key, &x.b); err != nil {
				rows.Close()
				return err
			}
			if x.b == nil {
				x.b = []byte{} // an empty blob is not NULL
			}
			if x.b, err = p.pack(x.b); err != nil {
				rows.Close()
				return err
			}
			all = append(all, x)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		for _, x := range all {
			if _, err := tx.ExecContext(ctx, `UPDATE `+c.table+` SET `+c.col+` = ? WHERE `+c.key+` = ?`, x.b, x.key); err != nil {
				return fmt.Errorf("%s %s: %w", c.table, x.key, err)
			}
		}
	}
	return nil
}
