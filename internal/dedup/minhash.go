package dedup

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
)

// Signature is a MinHash signature of an article's title and text.
//
// Layout: element 0 is a header (scheme version, shingle size and number of
// hashes), element 1 describes the paragraph keys and the lead (their length
// in words and shingles), element 2 holds the number of distinct shingles in
// the text (needed to estimate containment), element 3 the number of
// paragraph keys (low byte), of lead shingles (next byte), of those that
// come from the title (third byte) and of title words (high byte), then one
// minimum per hash function, then the paragraph keys in document order,
// then the lead, then two words marking which lead shingles open a
// paragraph (bit i of the 64), then the title's distinct words. Signatures with different headers are never compared, so
// a change of scheme or settings is detected instead of producing
// meaningless similarities.
type Signature []uint32

const (
	// sigVersion changes whenever shingling or hashing changes.
	sigVersion = 3
	// wireVersion is the first byte of Marshal's output.
	wireVersion = 3
	headerLen   = 4
	// Paragraph keys hash the last paraKeyWords words of each paragraph of
	// at least paraMinWords words, in document order, at most maxParas of
	// them from the top. The tail is used so that a dateline or lead-in put
	// before a paragraph by the republisher does not change its key.
	paraMinWords = 12
	paraKeyWords = 8
	maxParas     = 32
	// The lead is the first maxLead distinct shingles of title and text in
	// document order (32-bit hashes): what a copy cut short keeps, and what
	// a short text is judged by.
	maxLead = 64
	// breakWords hold the paragraph breaks of the lead.
	breakWords = 2
	// maxTitleWords bounds the title words kept.
	maxTitleWords = 24
)

func makeHeader(shingle, hashes int) [2]uint32 {
	return [2]uint32{sigVersion<<24 | uint32(shingle)<<16 | uint32(hashes), maxLead<<16 | paraMinWords<<8 | paraKeyWords}
}

// valid reports whether s is well formed for the scheme this version writes.
func (s Signature) valid() bool {
	if len(s) < headerLen+1 {
		return false
	}
	h, l := s[0], s[1]
	if h>>24 != sigVersion || l != maxLead<<16|paraMinWords<<8|paraKeyWords {
		return false
	}
	np, nl, nt, nw := s[3]&0xff, s[3]>>8&0xff, s[3]>>16&0xff, s[3]>>24
	if np > maxParas || nl > maxLead || nt > nl || nw > maxTitleWords || int(h&0xffff)+int(np)+int(nl)+breakWords+int(nw) != len(s)-headerLen || h&0xffff == 0 {
		return false
	}
	k := int(h >> 16 & 0xff)
	return k >= 1 && k <= maxShingle
}

// size is the number of distinct shingles of the signed text.
func (s Signature) size() int {
	if len(s) < headerLen {
		return 0
	}
	return int(s[2])
}

// mins returns the MinHash minima.
func (s Signature) mins() []uint32 {
	return s[headerLen : headerLen+int(s[0]&0xffff)]
}

// paras returns the paragraph keys in document order.
func (s Signature) paras() []uint32 {
	n := headerLen + int(s[0]&0xffff)
	return s[n : n+int(s[3]&0xff)]
}

// lead returns the hashes of the first distinct shingles in document order.
func (s Signature) lead() []uint32 {
	n := headerLen + int(s[0]&0xffff) + int(s[3]&0xff)
	return s[n : n+int(s[3]>>8&0xff)]
}

// breaks reports, per lead shingle, whether it opens a paragraph.
func (s Signature) breaks() uint64 {
	n := headerLen + int(s[0]&0xffff) + int(s[3]&0xff) + int(s[3]>>8&0xff)
	return uint64(s[n]) | uint64(s[n+1])<<32
}

// titleWords returns hashes of the title's distinct words.
func (s Signature) titleWords() []uint32 {
	return s[len(s)-int(s[3]>>24):]
}

// title returns the part of the lead that comes from the title.
func (s Signature) title() []uint32 {
	return s.lead()[:s[3]>>16&0xff]
}

// Sign returns the MinHash signature of a text without a title.
func (c Config) Sign(text string) Signature {
	return c.SignArticle("", text)
}

// SignArticle returns the MinHash signature of an article: its title counts
// as the first paragraph, so that a short text is judged by its headline as
// well, and a text whose first paragraph became its title still matches a
// copy that kept it in the body.
//
// Shingles are runs of ShingleSize words taken inside one paragraph (line),
// never across a break: a copy whose paragraphs were swapped, cut or
// interleaved with page furniture then keeps every shingle of the paragraphs
// it kept. A line shorter than a shingle counts as one shingle.
func (c Config) SignArticle(title, text string) Signature {
	c = c.normalized()
	k := c.ShingleSize
	var (
		tk      tokenizer
		words   []uint64
		shingle []uint64
		paras   []uint32
		lead    []uint32
		tw      []uint32
		breaks  uint64
	)
	addLead := func(h uint64) {
		if len(lead) == maxLead {
			return
		}
		v := uint32(h >> 32)
		if !slices.Contains(lead, v) {
			lead = append(lead, v)
		}
	}
	emit := func(w []byte) {
		words = append(words, hashWord(w))
	}
	endPara := func() {
		start := len(lead)
		defer func() {
			if len(lead) > start {
				breaks |= 1 << start
			}
		}()
		if len(words) < k {
			h := hashShingle(words)
			shingle = append(shingle, h)
			addLead(h)
		} else {
			for i := 0; i+k <= len(words); i++ {
				h := hashShingle(words[i : i+k])
				shingle = append(shingle, h)
				addLead(h)
			}
		}
		if len(words) >= paraMinWords && len(paras) < maxParas {
			paras = append(paras, uint32(hashShingle(words[len(words)-paraKeyWords:])>>32))
		}
		words = words[:0]
	}
	title = headline(title)
	if title != "" {
		// The title is one line whatever breaks it holds.
		tk.scan(strings.Map(oneLine, title), emit, endPara)
		tk.scan(title, func(w []byte) {
			if v := uint32(hashWord(w) >> 32); len(tw) < maxTitleWords && !slices.Contains(tw, v) {
				tw = append(tw, v)
			}
		}, func() {})
	}
	nTitle := len(lead)
	tk.scan(text, emit, endPara)
	slices.Sort(shingle)
	shingle = slices.Compact(shingle)

	sig := make(Signature, headerLen+c.Hashes, headerLen+c.Hashes+len(paras)+len(lead)+breakWords+len(tw))
	hdr := makeHeader(k, c.Hashes)
	sig[0], sig[1] = hdr[0], hdr[1]
	sig[2] = uint32(min(len(shingle), math.MaxUint32))
	sig[3] = uint32(len(paras)) | uint32(len(lead))<<8 | uint32(nTitle)<<16 | uint32(len(tw))<<24
	a, b := hashParams(c.Hashes)
	minHash(sig.mins(), shingle, a, b)
	sig = append(sig, paras...)
	sig = append(sig, lead...)
	sig = append(sig, uint32(breaks), uint32(breaks>>32))
	return append(sig, tw...)
}

// maxBylineWords is the longest "By ..." line read as a byline.
const maxBylineWords = 6

// headline returns what of a title names the story: without the outlet's
// name after a bar ("Story | Outlet") and a wire dateline before a dash
// ("CITY (Agency) - Story"); a byline taken for the title gives "", since it
// says who wrote, not what.
func headline(title string) string {
	if i := strings.LastIndex(title, " | "); i > 0 {
		title = title[:i]
	}
	title = strings.TrimSpace(title)
	if f := strings.Fields(title); len(f) >= 2 && len(f) <= maxBylineWords && strings.EqualFold(f[0], "by") {
		return ""
	}
	if i := datelineEnd(title); i > 0 {
		title = title[i:]
	}
	return title
}

// datelineEnd returns where the story starts after a leading dateline: one
// or more upper-case words, optionally an agency in parentheses, then a
// dash. It returns 0 when there is none.
func datelineEnd(s string) int {
	i, words := 0, 0
	for i < len(s) {
		j := i
		for j < len(s) && s[j] != ' ' {
			j++
		}
		w := s[i:j]
		switch {
		case w == "-" || w == "\u2013" || w == "\u2014":
			if words == 0 {
				return 0
			}
			return min(j+1, len(s))
		case strings.HasPrefix(w, "(") && words > 0:
			// An agency: skip to the closing parenthesis.
			k := strings.IndexByte(s[i:], ')')
			if k < 0 {
				return 0
			}
			j = i + k + 1
		case isUpperWord(w):
			words++
		default:
			return 0
		}
		if words > maxDatelineWords {
			return 0
		}
		i = j
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	return 0
}

// maxDatelineWords bounds the place name of a dateline.
const maxDatelineWords = 4

// isUpperWord reports whether w has letters and none in lower case.
func isUpperWord(w string) bool {
	letters := 0
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters > 0
}

// oneLine maps line breaks to spaces.
func oneLine(r rune) rune {
	switch r {
	case '\n', '\r', '\u2028', '\u2029', '\u0085':
		return ' '
	}
	return r
}

func minHash(mins []uint32, set []uint64, a, b []uint64) {
	for i := range mins {
		mins[i] = math.MaxUint32
	}
	for _, x := range set {
		for i := range mins {
			// Multiply-shift hashing: the high 32 bits of a*x+b with odd a
			// is a near-universal family, cheap enough to run per shingle.
			if v := uint32((a[i]*x + b[i]) >> 32); v < mins[i] {
				mins[i] = v
			}
		}
	}
}

// hashParams derives the hash family from fixed seeds so that signatures are
// comparable across runs and machines.
func hashParams(n int) (a, b []uint64) {
	a, b = make([]uint64, n), make([]uint64, n)
	state := uint64(0x9e3779b97f4a7c15)
	for i := range n {
		a[i] = splitmix(&state) | 1
		b[i] = splitmix(&state)
	}
	return a, b
}

func splitmix(state *uint64) uint64 {
	*state += 0x9e3779b97f4a7c15
	z := *state
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// hashWord is 64-bit FNV-1a.
func hashWord(w []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range w {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// hashShingle combines word hashes in order, then mixes the result so that
// nearby inputs spread over the whole range the MinHash family samples.
func hashShingle(ws []uint64) uint64 {
	h := uint64(len(ws))
	for _, w := range ws {
		h = (h ^ w) * 0x100000001b3
		h ^= h >> 29
	}
	return mix64(h)
}

func mix64(z uint64) uint64 {
	z = (z ^ z>>33) * 0xff51afd7ed558ccd
	z = (z ^ z>>33) * 0xc4ceb9fe1a85ec53
	return z ^ z>>33
}

// Marshal encodes a signature for storage: a format byte, then each element
// as 4 little-endian bytes. A nil signature encodes to nothing.
func (s Signature) Marshal() []byte {
	if len(s) == 0 {
		return nil
	}
	out := make([]byte, 1, 1+4*len(s))
	out[0] = wireVersion
	for _, v := range s {
		out = binary.LittleEndian.AppendUint32(out, v)
	}
	return out
}

// errSignature marks stored bytes that are not a signature this version reads.
var errSignature = errors.New("dedup: invalid signature")

// UnmarshalSignature decodes what Marshal wrote. Empty input decodes to an
// empty signature, which matches nothing; bytes written by another scheme
// version are an error, so that stale signatures can be recomputed.
func UnmarshalSignature(b []byte) (Signature, error) {
	if len(b) == 0 {
		return nil, nil
	}
	if b[0] != wireVersion {
		return nil, fmt.Errorf("%w: format %d, want %d", errSignature, b[0], wireVersion)
	}
	body := b[1:]
	if len(body)%4 != 0 || len(body)/4 < headerLen+1 {
		return nil, fmt.Errorf("%w: %d bytes", errSignature, len(b))
	}
	s := make(Signature, len(body)/4)
	for i := range s {
		s[i] = binary.LittleEndian.Uint32(body[4*i:])
	}
	if !s.valid() {
		return nil, fmt.Errorf("%w: header %#x %#x for %d values", errSignature, s[0], s[1], len(s)-headerLen)
	}
	return s, nil
}
