// Package charset decodes pages and text files to UTF-8, once, for every
// stage: the byte-order mark, then the HTTP header when it is known, then a
// <meta> declaration, then the bytes themselves (valid UTF-8, else a
// statistical guess among legacy encodings).
package charset

import (
	"bytes"
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/gogs/chardet"
	"golang.org/x/net/html"
	htmlcharset "golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Source says what decided a document's charset.
type Source int

const (
	Default  Source = iota // nothing said or guessed: windows-1252
	BOM                    // a byte-order mark
	Header                 // the HTTP Content-Type
	Meta                   // a <meta> charset or http-equiv declaration
	Valid                  // the bytes are valid UTF-8
	Detected               // statistical detection
)

func (s Source) String() string {
	switch s {
	case BOM:
		return "bom"
	case Header:
		return "header"
	case Meta:
		return "meta"
	case Valid:
		return "valid"
	case Detected:
		return "detected"
	}
	return "default"
}

// Result says how a document was decoded.
type Result struct {
	Name   string // WHATWG name of the charset, e.g. "utf-8", "euc-kr"
	Source Source
}

// prescanLen bounds the bytes searched for a <meta> declaration; browsers
// look at 1,024 but pages often write theirs after long head scripts.
const prescanLen = 4096

// minConfidence is the detector's confidence (0-100) below which its guess
// is not taken.
const minConfidence = 30

// HTML decodes a web page. contentType is the HTTP Content-Type when it is
// known, else "".
func HTML(raw []byte, contentType string) (string, Result, error) {
	return decode(raw, contentType, true)
}

// Text decodes a text file: a BOM, else valid UTF-8, else detection.
func Text(raw []byte) (string, Result, error) {
	return decode(raw, "", false)
}

func decode(raw []byte, contentType string, isHTML bool) (string, Result, error) {
	if enc, name, n := bom(raw); enc != nil {
		return run(enc, raw[n:], Result{name, BOM})
	}
	if enc, name := fromHeader(contentType); enc != nil {
		return run(enc, raw, Result{name, Header})
	}
	valid := utf8.Valid(raw)
	if isHTML {
		if enc, name := prescan(raw); enc != nil {
			switch {
			case valid:
				// Legacy text with high bytes is almost never valid UTF-8:
				// a page that is valid UTF-8 was saved as UTF-8 whatever
				// its head still says.
				return string(raw), Result{"utf-8", Valid}, nil
			case name == "utf-8" && mostlyUTF8(raw):
				return strings.ToValidUTF8(string(raw), "\uFFFD"), Result{name, Meta}, nil
			case name != "utf-8":
				return run(enc, raw, Result{name, Meta})
			}
			// Declared UTF-8 but it is not: guess as if undeclared.
		}
	}
	if valid {
		return string(raw), Result{"utf-8", Valid}, nil
	}
	if enc, name := detect(raw, isHTML); enc != nil {
		return run(enc, raw, Result{name, Detected})
	}
	return run(charmap.Windows1252, raw, Result{"windows-1252", Default})
}

func run(enc encoding.Encoding, b []byte, r Result) (string, Result, error) {
	if enc == encoding.Nop || r.Name == "utf-8" {
		return strings.ToValidUTF8(string(b), "\uFFFD"), r, nil
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return "", r, fmt.Errorf("charset: decode as %s: %w", r.Name, err)
	}
	return strings.ToValidUTF8(string(out), "\uFFFD"), r, nil
}

func bom(b []byte) (encoding.Encoding, string, int) {
	switch {
	case bytes.HasPrefix(b, []byte{0xef, 0xbb, 0xbf}):
		return encoding.Nop, "utf-8", 3
	case bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16be", 2
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le", 2
	}
	return nil, "", 0
}

func fromHeader(contentType string) (encoding.Encoding, string) {
	if contentType == "" {
		return nil, ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, ""
	}
	return Lookup(params["charset"])
}

// Lookup returns the encoding a label names (WHATWG labels: "latin1",
// "sjis", "ks_c_5601-1987"...) and its canonical name, or nil.
func Lookup(label string) (encoding.Encoding, string) {
	label = strings.TrimSpace(label)
	if label == "" {
		return nil, ""
	}
	enc, name := htmlcharset.Lookup(label)
	if enc == nil {
		return nil, ""
	}
	if strings.HasPrefix(name, "utf-16") {
		// A page read as bytes that declares UTF-16 without a BOM is not
		// UTF-16: the declaration was copied, the bytes are ASCII-based.
		return encoding.Nop, "utf-8"
	}
	if name == "utf-8" {
		return encoding.Nop, name
	}
	return enc, name
}

// prescan finds the charset a page's <meta> declares, as browsers do: the
// first <meta charset> or <meta http-equiv=content-type content=...charset=>
// before the body.
func prescan(raw []byte) (encoding.Encoding, string) {
	if len(raw) > prescanLen {
		raw = raw[:prescanLen]
	}
	z := html.NewTokenizer(bytes.NewReader(raw))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return nil, ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "body":
				return nil, ""
			case "meta":
			default:
				continue
			}
			var label, content string
			pragma := false
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch strings.ToLower(string(k)) {
				case "charset":
					label = string(v)
				case "http-equiv":
					pragma = strings.EqualFold(strings.TrimSpace(string(v)), "content-type")
				case "content":
					content = string(v)
				}
			}
			if label == "" && pragma {
				label = charsetParam(content)
			}
			if enc, n := Lookup(label); enc != nil {
				return enc, n
			}
		}
	}
}

// charsetParam reads "charset=x" out of a content-type value, quoted or
// not, however loosely it is written.
func charsetParam(s string) string {
	i := strings.Index(strings.ToLower(s), "charset")
	if i < 0 {
		return ""
	}
	s = strings.TrimLeft(s[i+len("charset"):], " \t\r\n\f")
	if !strings.HasPrefix(s, "=") {
		return ""
	}
	s = strings.Trim(strings.TrimLeft(s[1:], " \t\r\n\f"), `"'`)
	if end := strings.IndexAny(s, `;"' `+"\t\r\n\f"); end >= 0 {
		s = s[:end]
	}
	return s
}

// mostlyUTF8 is true when more characters decode as UTF-8 than bytes fail: a page
// cut mid-character, or one bad byte pasted in.
func mostlyUTF8(b []byte) bool {
	bad, multi := 0, 0
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && n == 1:
			bad++
		case n > 1:
			multi++
		}
		b = b[n:]
	}
	return bad <= multi
}

// detect guesses a legacy charset from the bytes; for a page, from its text
// outside the tags.
func detect(raw []byte, isHTML bool) (encoding.Encoding, string) {
	d := chardet.NewTextDetector()
	if isHTML {
		d = chardet.NewHtmlDetector()
	}
	r, err := d.DetectBest(raw)
	if err != nil || r == nil || r.Confidence < minConfidence {
		return nil, ""
	}
	enc, name := Lookup(r.Charset)
	if enc == nil || enc == encoding.Nop {
		return nil, ""
	}
	return enc, name
}
