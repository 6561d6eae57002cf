// Package source reads Dossier's inputs: text files as scrapers save them,
// web pages, and JSONL dumps of one article a line, from files, folders
// (recursively) and standard input.
package source

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dossiernews/dossier/internal/charset"
	"github.com/dossiernews/dossier/internal/ident"
)

// Format says how a document's bytes are to be read.
type Format int

const (
	Text   Format = iota // text as scrapers and crawl dumps save it
	HTML                 // a whole web page
	Record               // one JSONL object
	// WARC and Feed are read by a producer (see Produced) that the caller
	// attaches: web archives, and feeds or sitemaps saved as files.
	WARC
	Feed
)

func (f Format) String() string {
	switch f {
	case Text:
		return "text"
	case HTML:
		return "html"
	case Record:
		return "record"
	case WARC:
		return "warc"
	case Feed:
		return "feed"
	}
	return fmt.Sprintf("format(%d)", int(f))
}

// Stdin is the path that stands for standard input.
const Stdin = "-"

// Document is one article as read, before any cleaning.
type Document struct {
	// Source is where it came from as given: a path, "path#N" for line N
	// (from 1) of a JSONL file, or "-" for standard input.
	Source string
	// Key identifies the document across runs before anything is parsed
	// (see package ident): a record's normalised URL, else a file's
	// absolute path, a line's file and content hash, stdin's content hash.
	Key string
	// LegacyKey is the key stores made before stable identities used (the
	// absolute path, with #N for a line), so their articles can be found.
	LegacyKey string
	// Digest hashes the raw bytes, so that an unchanged document can be
	// skipped before any stage runs.
	Digest string
	Format Format
	Data   []byte // for Text and HTML, the text decoded to UTF-8 (package charset)
	Record Fields // for Record
	// Hints are what a feed, sitemap or archive said of the document
	// beyond Record's fields.
	Hints Hints
}

// Hints are facts about a document from where it was found, not from the
// document itself.
type Hints struct {
	// Via is the feed, sitemap or archive that listed the document.
	Via string
	// FinalURL is where a fetch ended, after redirects.
	FinalURL string
	// Captured is when an archive's crawler fetched the page: never its
	// publication time.
	Captured   time.Time
	Categories []string
}

// Fields are the documented fields of a JSONL record.
type Fields struct {
	URL       string  `json:"url"`
	Title     string  `json:"title"`
	Text      string  `json:"text"`
	HTML      string  `json:"html"`
	Published string  `json:"published"`
	Outlet    string  `json:"outlet"`
	Authors   Authors `json:"authors"`
	Language  string  `json:"language"`
}

// Authors accepts both an array of names and a single string, as dumps differ.
type Authors []string

// UnmarshalJSON reads an array of strings, one string, or null.
func (a *Authors) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*a = nil
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s = strings.TrimSpace(s); s != "" {
			*a = Authors{s}
		}
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("authors: want a string or an array of strings: %w", err)
	}
	*a = list
	return nil
}

// File is one input file found by List.
type File struct {
	Path   string
	Size   int64
	Format Format
	// jsonl is true for files holding one record a line.
	jsonl bool
	// sniff is true when the name says nothing (stdin, an odd extension):
	// the first bytes decide the format.
	sniff bool
	// produce, when set, yields the documents instead of the file's bytes.
	produce Producer
}

// Producer yields documents from somewhere other than a plain file (the
// web, an archive), reporting what it cannot read through bad.
type Producer func(ctx context.Context, fn func(Document) error, bad func(Problem)) error

// Produced is an input whose documents come from produce; name is what it
// is reported as.
func Produced(name string, format Format, produce Producer) File {
	return File{Path: name, Format: format, produce: produce}
}

// Problem is a file or record that could not be read; the rest goes on.
type Problem struct {
	Source string
	Err    error
}

func (p Problem) Error() string { return p.Source + ": " + p.Err.Error() }

// problemJSON is a Problem as JSON: its error as text, which is all that
// crosses a process boundary.
type problemJSON struct {
	Source string `json:"source"`
	Error  string `json:"error"`
}

func (p Problem) MarshalJSON() ([]byte, error) {
	msg := ""
	if p.Err != nil {
		msg = p.Err.Error()
	}
	return json.Marshal(problemJSON{p.Source, msg})
}

func (p *Problem) UnmarshalJSON(b []byte) error {
	var pj problemJSON
	if err := json.Unmarshal(b, &pj); err != nil {
		return err
	}
	*p = Problem{Source: pj.Source, Err: errors.New(pj.Error)}
	return nil
}

// List expands paths (files, folders walked recursively, "-") into input
// files in a stable order. In folders, files of unknown kind are passed over;
// a file named outright is read whatever its name, its format sniffed.
func List(paths []string) ([]File, []Problem) {
	var files []File
	var problems []Problem
	for _, p := range paths {
		if p == Stdin {
			files = append(files, File{Path: Stdin, sniff: true})
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			problems = append(problems, Problem{p, err})
			continue
		}
		if !info.IsDir() {
			format, jsonl, known := knownFormat(p)
			files = append(files, File{Path: p, Size: info.Size(), Format: format, jsonl: jsonl, sniff: !known})
			continue
		}
		var found []File
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				problems = append(problems, Problem{path, err})
				return nil
			}
			if d.IsDir() {
				if path != p && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			format, jsonl, known := knownFormat(path)
			if !known || !d.Type().IsRegular() {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				problems = append(problems, Problem{path, err})
				return nil
			}
			found = append(found, File{Path: path, Size: info.Size(), Format: format, jsonl: jsonl})
			return nil
		})
		if err != nil {
			problems = append(problems, Problem{p, err})
		}
		// WalkDir's order (lexical within each folder, a folder before its
		// siblings' longer names) is stable and keeps "x/" ahead of "x-y/".
		files = append(files, found...)
	}
	return files, problems
}

func knownFormat(path string) (f Format, jsonl, known bool) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".txt", ".text":
		return Text, false, true
	case ".html", ".htm", ".xhtml":
		return HTML, false, true
	case ".jsonl", ".ndjson":
		return Record, true, true
	case ".warc":
		return WARC, false, true
	case ".rss", ".atom":
		return Feed, false, true
	case ".gz":
		if strings.HasSuffix(strings.ToLower(path), ".warc.gz") {
			return WARC, false, true
		}
	}
	return Text, false, false
}

// maxLine bounds one JSONL record, so a runaway line cannot exhaust memory.
const maxLine = 64 << 20

// Read reads one file and calls fn for every document in it. A bad record
// is reported through bad and reading goes on; fn's error stops reading.
func Read(ctx context.Context, f File, stdin io.Reader, fn func(Document) error, bad func(Problem)) error {
	if f.produce != nil {
		return f.produce(ctx, fn, bad)
	}
	if f.Format == WARC || f.Format == Feed {
		bad(Problem{f.Path, fmt.Errorf("a %s file needs a reader attached (dossier ingest does it)", f.Format)})
		return nil
	}
	var r io.Reader
	if f.Path == Stdin {
		if stdin == nil {
			return errors.New("source: no standard input")
		}
		// A terminal or a slow pipe may never answer: reads must end
		// when the run is interrupted.
		r = interruptible(ctx, stdin)
	} else {
		file, regular, err := open(ctx, f.Path)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			bad(Problem{f.Path, err})
			return nil
		}
		defer file.Close()
		r = file
		if !regular {
			r = interruptible(ctx, file)
		}
	}
	abs := f.Path
	if f.Path != Stdin {
		if a, err := filepath.Abs(f.Path); err == nil {
			abs = a
		}
	}
	br := bufio.NewReaderSize(r, 64<<10)
	jsonl := f.jsonl
	if f.sniff {
		// Sniff what was not named by its extension.
		head, _ := br.Peek(512)
		head = bytes.TrimLeft(head, " \t\r\n\ufeff")
		switch {
		case len(head) > 0 && head[0] == '{':
			jsonl = true
		case len(head) > 0 && head[0] == '<':
			f.Format = HTML
		}
	}
	if jsonl {
		return readJSONL(ctx, f.Path, abs, br, fn, bad)
	}
	data, err := io.ReadAll(io.LimitReader(br, maxLine+1))
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		bad(Problem{f.Path, fmt.Errorf("read: %w", err)})
		return nil
	}
	if len(data) > maxLine {
		bad(Problem{f.Path, fmt.Errorf("larger than %d MiB", maxLine>>20)})
		return nil
	}
	if err := checkText(data); err != nil {
		bad(Problem{f.Path, err})
		return nil
	}
	// A page's digest is of its bytes as read, a text's of its decoded
	// text, as stores have always had them.
	digest := ""
	if f.Format == HTML {
		digest = ident.ContentHash(data)
	}
	if data, err = toUTF8(data, f.Format); err != nil {
		bad(Problem{f.Path, err})
		return nil
	}
	if digest == "" {
		digest = ident.ContentHash(data)
	}
	doc := Document{Source: f.Path, Key: ident.PathKey(abs), LegacyKey: abs, Digest: digest, Format: f.Format, Data: data}
	if f.Path == Stdin {
		doc.Key, doc.LegacyKey = ident.StdinKey(data), ""
	}
	return fn(doc)
}

func readJSONL(ctx context.Context, path, abs string, br *bufio.Reader, fn func(Document) error, bad func(Problem)) error {
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, err := readLine(br)
		if len(line) > 0 {
			src := fmt.Sprintf("%s#%d", path, n)
			doc, perr := parseRecord(line)
			switch {
			case perr == errBlank:
			case perr != nil:
				bad(Problem{src, perr})
			default:
				doc.Source = src
				doc.Digest = ident.ContentHash(line)
				doc.LegacyKey = fmt.Sprintf("%s#%d", abs, n)
				switch u, err := ident.NormalizeURL(doc.Record.URL); {
				case err == nil:
					doc.Key = ident.URLKey(u)
				case path == Stdin:
					doc.Key, doc.LegacyKey = ident.StdinKey(line), ""
				default:
					doc.Key = ident.LineKey(abs, line)
				}
				if ferr := fn(doc); ferr != nil {
					return ferr
				}
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			bad(Problem{fmt.Sprintf("%s#%d", path, n), err})
			return nil
		}
	}
}

// open opens a file for reading without letting a FIFO with no writer
// block the run past ctx: the open itself waits for a writer.
func open(ctx context.Context, path string) (f *os.File, regular bool, err error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, false, err
	}
	if info.Mode().IsRegular() {
		f, err = os.Open(path)
		return f, true, err
	}
	type opened struct {
		f   *os.File
		err error
	}
	done := make(chan opened, 1)
	go func() {
		f, err := os.Open(path)
		done <- opened{f, err}
	}()
	select {
	case o := <-done:
		return o.f, false, o.err
	case <-ctx.Done():
		// The open goes on until a writer comes, or the process ends.
		go func() {
			if o := <-done; o.f != nil {
				_ = o.f.Close()
			}
		}()
		return nil, false, ctx.Err()
	}
}

// interruptible reads r through a pipe that ctx closes, so that a read
// blocked on a terminal, FIFO or slow pipe gives way to an interrupt. The
// copying goroutine ends with the read it is blocked in.
func interruptible(ctx context.Context, r io.Reader) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		_, err := io.Copy(pw, r)
		pw.CloseWithError(err)
	}()
	context.AfterFunc(ctx, func() { pr.CloseWithError(ctx.Err()) })
	return pr
}

// Count returns how many documents files hold, for a progress bar; known
// is false when a file cannot be counted ahead (stdin, a FIFO), and then
// total counts only the others.
func Count(ctx context.Context, files []File) (total int, known bool) {
	known = true
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return total, false
		}
		if f.Path == Stdin || f.produce != nil || f.Format == WARC || f.Format == Feed {
			known = false
			continue
		}
		info, err := os.Stat(f.Path)
		if err != nil || !info.Mode().IsRegular() {
			known = false
			continue
		}
		if !f.jsonl && !f.sniff {
			total++
			continue
		}
		n, err := countRecords(f.Path)
		if err != nil {
			known = false
			continue
		}
		total += n
	}
	return total, known
}

// countRecords counts a JSONL file's non-blank lines; a file that is not
// JSONL after all counts as one document.
func countRecords(path string) (int, error) {
	file, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer file.Close()
	br := bufio.NewReaderSize(file, 64<<10)
	head, _ := br.Peek(512)
	if head = bytes.TrimLeft(head, " \t\r\n\ufeff"); len(head) == 0 || head[0] != '{' {
		return 1, nil
	}
	n := 0
	blank := true
	buf := make([]byte, 64<<10)
	for {
		k, err := br.Read(buf)
		for _, c := range buf[:k] {
			switch c {
			case '\n':
				if !blank {
					n++
				}
				blank = true
			case ' ', '\t', '\r':
			default:
				blank = false
			}
		}
		if err == io.EOF {
			if !blank {
				n++
			}
			return n, nil
		}
		if err != nil {
			return 0, err
		}
	}
}

// readLine returns the next line without its newline, refusing lines over maxLine.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxLine {
			// Skip the rest of the oversized line so the next record is readable.
			for err == bufio.ErrBufferFull {
				_, err = br.ReadSlice('\n')
			}
			return nil, fmt.Errorf("record larger than %d MiB", maxLine>>20)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return bytes.TrimRight(line, "\r\n"), err
	}
}

var errBlank = errors.New("blank line")

// ParseRecord reads one JSONL record into a Document (Source and Key unset).
func ParseRecord(line []byte) (Document, error) { return parseRecord(line) }

func parseRecord(line []byte) (Document, error) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return Document{}, errBlank
	}
	var f Fields
	if err := json.Unmarshal(line, &f); err != nil {
		return Document{}, fmt.Errorf("invalid JSON record: %w", err)
	}
	if strings.TrimSpace(f.Text) == "" && strings.TrimSpace(f.HTML) == "" {
		return Document{}, errors.New("record has neither text nor html")
	}
	return Document{Format: Record, Record: f}, nil
}

// checkText refuses binary junk: NUL bytes, or mostly bytes that are
// neither UTF-8 nor plausible legacy text.
func checkText(data []byte) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return errors.New("empty file")
	}
	head := data
	if len(head) > 8192 {
		head = head[:8192]
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return errors.New("binary file (NUL bytes), not text or HTML")
	}
	if utf8.Valid(head) {
		return nil
	}
	control := 0
	for _, b := range head {
		if b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' {
			control++
		}
	}
	if control*20 > len(head) {
		return errors.New("binary file (control bytes), not text or HTML")
	}
	return nil
}

// toUTF8 decodes a file once for every stage: a page from its BOM, meta
// declaration or bytes, a text from its BOM or bytes.
func toUTF8(data []byte, f Format) ([]byte, error) {
	var text string
	var err error
	if f == HTML {
		text, _, err = charset.HTML(data, "")
	} else {
		text, _, err = charset.Text(data)
	}
	if err != nil {
		return nil, err
	}
	return []byte(text), nil
}
