// Package varint reads the compact encodings Dossier stores (varints and
// length-prefixed bytes). A Reader keeps its first error, so that a decoder
// reads straight through and checks once at the end.
package varint

import (
	"encoding/binary"
	"fmt"
)

// Reader reads from a byte slice, keeping the first error.
type Reader struct {
	b   []byte
	err error
}

// NewReader reads b.
func NewReader(b []byte) *Reader { return &Reader{b: b} }

// Err is the first error met, nil when none.
func (r *Reader) Err() error { return r.err }

// Len is how many bytes are left.
func (r *Reader) Len() int { return len(r.b) }

// Fail records an error, unless one is recorded already.
func (r *Reader) Fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf(format, args...)
	}
}

// Uvarint reads an unsigned varint; what names it in an error.
func (r *Reader) Uvarint(what string) uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.Fail("%s: bad varint", what)
		return 0
	}
	r.b = r.b[n:]
	return v
}

// Varint reads a signed varint.
func (r *Reader) Varint(what string) int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.Fail("%s: bad varint", what)
		return 0
	}
	r.b = r.b[n:]
	return v
}

// Int reads a non-negative number that fits an int32.
func (r *Reader) Int(what string) int {
	v := r.Uvarint(what)
	if v > 1<<31 {
		r.Fail("%s: %d, too large", what, v)
		return 0
	}
	return int(v)
}

// Count reads how many items follow, each taking at least one byte: a
// count larger than the bytes left is an error, which bounds allocations.
func (r *Reader) Count(what string) int {
	v := r.Uvarint(what)
	if v > uint64(len(r.b)) {
		r.Fail("%s: %d, more than the %d bytes left", what, v, len(r.b))
		return 0
	}
	return int(v)
}

// Byte reads one byte.
func (r *Reader) Byte(what string) byte {
	if r.err != nil {
		return 0
	}
	if len(r.b) == 0 {
		r.Fail("%s: truncated", what)
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// Bytes reads n bytes; the result shares the Reader's slice.
func (r *Reader) Bytes(what string, n uint64) []byte {
	if r.err != nil {
		return nil
	}
	if n > uint64(len(r.b)) {
		r.Fail("%s: %d bytes, %d left", what, n, len(r.b))
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

// End records an error when bytes are left over.
func (r *Reader) End() {
	if r.err == nil && len(r.b) > 0 {
		r.Fail("%d bytes after the end", len(r.b))
	}
}
