package warc

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Writer writes WARC/1.1 records, each its own gzip member when gzipped,
// as crawlers write them. It serves tests and benchmarks that build
// archives, and tools that save what they fetched.
type Writer struct {
	w    io.Writer
	gzip bool
}

// NewWriter writes records to w, gzipped record by record when gz.
func NewWriter(w io.Writer, gz bool) *Writer { return &Writer{w: w, gzip: gz} }

// WriteResponse writes a response record of an HTTP 200 with header and body.
func (w *Writer) WriteResponse(uri string, captured time.Time, status int, header http.Header, body []byte) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	h := header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	if err := h.Write(&b); err != nil {
		return err
	}
	b.WriteString("\r\n")
	b.Write(body)
	return w.WriteRecord("response", uri, captured, "application/http; msgtype=response", b.Bytes())
}

// WriteRecord writes one record of any type with its block.
func (w *Writer) WriteRecord(typ, uri string, captured time.Time, contentType string, block []byte) error {
	var b bytes.Buffer
	b.WriteString("WARC/1.1\r\n")
	fmt.Fprintf(&b, "WARC-Type: %s\r\n", typ)
	fmt.Fprintf(&b, "WARC-Record-ID: <urn:uuid:%s>\r\n", uuid())
	fmt.Fprintf(&b, "WARC-Date: %s\r\n", captured.UTC().Format(time.RFC3339))
	if uri != "" {
		fmt.Fprintf(&b, "WARC-Target-URI: %s\r\n", uri)
	}
	if contentType != "" {
		fmt.Fprintf(&b, "Content-Type: %s\r\n", contentType)
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", len(block))
	b.Write(block)
	b.WriteString("\r\n\r\n")
	if !w.gzip {
		_, err := w.w.Write(b.Bytes())
		return err
	}
	zw := gzip.NewWriter(w.w)
	if _, err := zw.Write(b.Bytes()); err != nil {
		return err
	}
	return zw.Close()
}

func uuid() string {
	var u [16]byte
	_, _ = rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:])
}
