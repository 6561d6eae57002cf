// Package warc streams the HTML pages out of WARC files (ISO 28500), plain
// or gzipped record by record, with nlnwa/gowarc: one record in memory at
// a time, however large the file. (internetarchive/gowarc read the
// benchmark's archive as fast, allocating less, but brings a crawler's
// dependencies: TLS mimicry, DNS, hashing.)
package warc

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/nlnwa/gowarc/v3"
)

// Page is one HTML page an archive holds.
type Page struct {
	// TargetURI is the address the page was captured from.
	TargetURI string
	// Captured is the record's WARC-Date: when the crawler saw the page,
	// never when it was published.
	Captured time.Time
	Header   http.Header // the HTTP response's header; empty for a resource record
	Body     []byte      // decoded (chunks joined, gzip or br undone)
	// Offset is where the record starts in the (possibly gzipped) file.
	Offset int64
}

// Skip reasons, the keys of Stats.Skipped.
const (
	SkipType     = "not a response"   // request, metadata, warcinfo, revisit, …
	SkipStatus   = "not HTTP 2xx"     // redirects, errors
	SkipMIME     = "not HTML"         // images, scripts, PDFs, …
	SkipTooLarge = "over size limit"  // a body beyond the limit
	SkipBadHTTP  = "bad HTTP message" // a response block that does not parse
)

// Stats counts the records of one archive.
type Stats struct {
	Records int
	Pages   int
	Skipped map[string]int
}

// Options bound what is read.
type Options struct {
	// MaxBody is the largest decoded body taken; larger pages are skipped.
	MaxBody int64
}

// DefaultOptions returns the defaults.
func DefaultOptions() Options { return Options{MaxBody: 16 << 20} }

// Read calls fn for every HTML page of the archive r, in file order. A
// record that cannot be read ends the file with an error naming its
// offset (a WARC cannot be resynchronised safely); fn's error stops it.
func Read(ctx context.Context, r io.Reader, opt Options, fn func(Page) error) (Stats, error) {
	if opt.MaxBody <= 0 {
		opt.MaxBody = DefaultOptions().MaxBody
	}
	st := Stats{Skipped: map[string]int{}}
	// Spec violations only warn: gowarc caches a block (in memory up to
	// 1 MiB, then on disk) only when it validates, and drops it otherwise.
	// Blocks are left unparsed: the HTTP message is read here, leniently.
	wr, err := gowarc.NewWarcFileReaderFromStream(r, 0,
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrWarn), gowarc.WithSpecViolationPolicy(gowarc.ErrWarn),
		gowarc.WithUnknownRecordTypePolicy(gowarc.ErrIgnore), gowarc.WithSkipParseBlock())
	if err != nil {
		return st, fmt.Errorf("open WARC: %w", err)
	}
	defer wr.Close()
	for {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		rec, err := next(wr)
		if err == io.EOF {
			return st, nil
		}
		if err != nil {
			if st.Records > 0 {
				return st, fmt.Errorf("record at offset %d: %w", rec.Offset, err)
			}
			return st, fmt.Errorf("not a WARC file: %w", err)
		}
		page, reason, err := pageOf(rec, opt)
		_ = rec.Close()
		if err != nil {
			return st, fmt.Errorf("record at offset %d: %w", rec.Offset, err)
		}
		st.Records++
		if reason != "" {
			st.Skipped[reason]++
			continue
		}
		st.Pages++
		if err := fn(page); err != nil {
			return st, err
		}
	}
}

// next reads a record; gowarc may panic on some malformed input, which must
// be an error here.
func next(wr *gowarc.WarcFileReader) (rec gowarc.Record, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed record: %v", r)
		}
	}()
	rec, err = wr.Next()
	if err == nil && rec.WarcRecord == nil {
		err = errors.New("empty record")
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = fmt.Errorf("truncated: %w", err)
	}
	if err == nil {
		// Spec violations only warn, but a block shorter than its
		// Content-Length is a cut file, not a page to take.
		for _, v := range rec.Validation {
			var cl *gowarc.ContentLengthError
			if errors.As(v, &cl) {
				return rec, fmt.Errorf("truncated: %w", v)
			}
		}
	}
	return rec, err
}

// pageOf decodes a record into a page, or says why it is skipped. err is
// for records whose bytes cannot be read at all (a truncated file).
func pageOf(rec gowarc.Record, opt Options) (p Page, skip string, err error) {
	wr := rec.WarcRecord
	h := wr.WarcHeader()
	p.TargetURI = strings.Trim(strings.TrimSpace(h.Get(gowarc.WarcTargetURI)), "<>")
	p.Offset = rec.Offset
	if d, err := wr.Date(); err == nil {
		p.Captured = d
	}
	raw, rerr := wr.Block().RawBytes()
	if rerr != nil {
		return p, "", fmt.Errorf("read block: %w", rerr)
	}
	var body io.Reader
	switch wr.Type() {
	case gowarc.Response:
		ct := strings.ToLower(h.Get(gowarc.ContentType))
		if !strings.Contains(ct, "application/http") {
			return p, SkipType, nil
		}
		resp, err := http.ReadResponse(bufio.NewReader(raw), nil)
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return p, "", fmt.Errorf("truncated HTTP response: %w", err)
			}
			return p, SkipBadHTTP, nil
		}
		defer resp.Body.Close()
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			return p, SkipStatus, nil
		}
		if !isHTML(resp.Header.Get("Content-Type")) {
			return p, SkipMIME, nil
		}
		p.Header = resp.Header
		body = resp.Body
		switch enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))); enc {
		case "", "identity":
		case "gzip", "x-gzip":
			zr, err := gzip.NewReader(body)
			if err != nil {
				return p, SkipBadHTTP, nil
			}
			defer zr.Close()
			body = zr
		case "br":
			body = brotli.NewReader(body)
		default:
			return p, SkipBadHTTP, nil
		}
	case gowarc.Resource:
		if !isHTML(h.Get(gowarc.ContentType)) {
			return p, SkipMIME, nil
		}
		body = raw
	default:
		return p, SkipType, nil
	}
	if p.TargetURI == "" {
		return p, SkipType, nil
	}
	data, err := io.ReadAll(io.LimitReader(body, opt.MaxBody+1))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return p, "", fmt.Errorf("truncated body: %w", err)
		}
		return p, SkipBadHTTP, nil
	}
	if int64(len(data)) > opt.MaxBody {
		return p, SkipTooLarge, nil
	}
	p.Body = data
	return p, "", nil
}

// isHTML reports whether a Content-Type is a web page; an absent one is
// taken as HTML, as crawlers of old often left it out.
func isHTML(ct string) bool {
	if strings.TrimSpace(ct) == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
	}
	return mt == "text/html" || mt == "application/xhtml+xml"
}
