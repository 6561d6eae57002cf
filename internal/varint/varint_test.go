package varint

import (
	"encoding/binary"
	"strings"
	"testing"
)

func TestReader(t *testing.T) {
	good := binary.AppendUvarint(nil, 300)
	good = binary.AppendVarint(good, -7)
	good = binary.AppendUvarint(good, 3)
	good = append(good, "abc"...)
	good = append(good, 9)

	r := NewReader(good)
	if v := r.Uvarint("a"); v != 300 {
		t.Errorf("Uvarint = %d", v)
	}
	if v := r.Varint("b"); v != -7 {
		t.Errorf("Varint = %d", v)
	}
	if s := string(r.Bytes("c", uint64(r.Count("c")))); s != "abc" {
		t.Errorf("Bytes = %q", s)
	}
	if c := r.Byte("d"); c != 9 {
		t.Errorf("Byte = %d", c)
	}
	r.End()
	if r.Err() != nil || r.Len() != 0 {
		t.Errorf("after a good read: err %v, %d left", r.Err(), r.Len())
	}

	tests := []struct {
		name string
		in   []byte
		read func(*Reader)
		want string
	}{
		{"truncated varint", []byte{0x80}, func(r *Reader) { r.Uvarint("size") }, "size: bad varint"},
		{"count past the end", []byte{5, 1}, func(r *Reader) { r.Count("terms") }, "terms: 5, more than the 1 bytes left"},
		{"int too large", binary.AppendUvarint(nil, 1<<40), func(r *Reader) { r.Int("articles") }, "articles: 1099511627776, too large"},
		{"bytes past the end", []byte{1}, func(r *Reader) { r.Bytes("id", 4) }, "id: 4 bytes, 1 left"},
		{"empty byte", nil, func(r *Reader) { r.Byte("flag") }, "flag: truncated"},
		{"left over", []byte{1, 2}, func(r *Reader) { r.Byte("x"); r.End() }, "1 bytes after the end"},
		{"first error kept", []byte{0x80}, func(r *Reader) { r.Uvarint("one"); r.Byte("two"); r.Fail("three") }, "one: bad varint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(tt.in)
			tt.read(r)
			if r.Err() == nil || !strings.Contains(r.Err().Error(), tt.want) {
				t.Errorf("err %v, want %q", r.Err(), tt.want)
			}
		})
	}
}

func FuzzReader(f *testing.F) {
	f.Add([]byte{3, 'a', 'b', 'c', 0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := NewReader(b)
		for r.Err() == nil && r.Len() > 0 {
			r.Bytes("item", uint64(r.Count("n")))
			r.Varint("v")
		}
	})
}
