package store

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestTallyAddRemove(t *testing.T) {
	zone := func(h int) *time.Location { return time.FixedZone("", h*3600) }
	at := func(h, off int) time.Time { return time.Date(2026, 5, 1, h, 0, 0, 0, time.UTC).In(zone(off)) }
	c1 := Contribution{Seq: 1, Outlet: "Pier Daily", Published: at(4, 2)}
	c2 := Contribution{Seq: 2, Outlet: "Mill Review", Published: at(4, -3)} // the same instant as c1
	c3 := Contribution{Seq: 3, Outlet: "Pier Daily", Published: at(9, 0)}
	c4 := Contribution{Seq: 4}
	var tl Tally
	for _, c := range []Contribution{c3, c4, c2, c1} { // out of order
		tl.Add(c)
	}
	if tl.Articles != 4 || !reflect.DeepEqual(tl.OutletNames(), []string{"Pier Daily", "Mill Review"}) {
		t.Errorf("tally %+v: want 4 articles, Pier Daily then Mill Review", tl)
	}
	// A tie of instants goes to the earlier article, in its own offset.
	if _, off := tl.First.Zone(); tl.FirstSeq != 1 || off != 2*3600 || tl.LastSeq != 3 {
		t.Errorf("first %v (seq %d), last seq %d: want seq 1 at +02:00, last seq 3", tl.First, tl.FirstSeq, tl.LastSeq)
	}
	tests := []struct {
		name string
		c    Contribution
		ok   bool
	}{
		{"undated", c4, true},
		{"not first or last", c2, true},
		{"the last", c3, false},
	}
	for _, tc := range tests {
		x := tl
		x.Outlets = append([]OutletTally(nil), tl.Outlets...)
		if ok := x.Remove(tc.c); ok != tc.ok || x.Articles != 3 {
			t.Errorf("Remove %s: ok %v, %d articles; want %v, 3", tc.name, ok, x.Articles, tc.ok)
		}
	}
	var one Tally
	one.Add(c1)
	if !one.Remove(c1) || !reflect.DeepEqual(one, Tally{}) {
		t.Errorf("removing the only article leaves %+v, want an empty tally", one)
	}
	var bad Tally
	if bad.Remove(c2) {
		t.Error("removing from an empty tally says it is still right")
	}
}

func TestTallyEncoding(t *testing.T) {
	var tl Tally
	tl.Add(Contribution{Seq: 7, Outlet: "Quay Record", Published: time.Date(2026, 5, 1, 3, 4, 5, 6, time.FixedZone("", -9000))})
	tl.Add(Contribution{Seq: 9, Outlet: "Ash Valley Voice"})
	for _, in := range []Tally{{}, tl} {
		out, err := DecodeTally(EncodeTally(in))
		if err != nil {
			t.Fatal(err)
		}
		_, o1 := in.First.Zone()
		_, o2 := out.First.Zone()
		if !out.First.Equal(in.First) || o1 != o2 || out.Articles != in.Articles || !reflect.DeepEqual(out.Outlets, in.Outlets) {
			t.Errorf("round trip: %+v came back as %+v", in, out)
		}
	}
	for _, b := range [][]byte{{2}, {1}, {1, 1, 2}, {1, 1, 0, 0, 0, 0, 5}, append(EncodeTally(tl), 0)} {
		if _, err := DecodeTally(b); err == nil {
			t.Errorf("DecodeTally(%v): no error", b)
		}
	}
}

func TestCursors(t *testing.T) {
	c := StoryCursor{Last: UndatedLast, Created: 42, ID: "s-é"}
	got, ok, err := DecodeStoryCursor(c.Encode())
	if err != nil || !ok || got != c {
		t.Errorf("story cursor round trip: %+v, %v, %v; want %+v", got, ok, err, c)
	}
	if _, ok, err := DecodeStoryCursor(""); ok || err != nil {
		t.Errorf("empty story cursor: ok %v, err %v; want the start", ok, err)
	}
	seq, ok, err := DecodeArticleCursor(EncodeArticleCursor(-3))
	if err != nil || !ok || seq != -3 {
		t.Errorf("article cursor round trip: %d, %v, %v", seq, ok, err)
	}
	if _, _, err := DecodeArticleCursor(c.Encode()); !errors.Is(err, ErrBadCursor) {
		t.Errorf("a story cursor read as an article cursor: %v, want ErrBadCursor", err)
	}
}

// FuzzDecodeTally: damaged bytes give an error or a tally that encodes
// back to the same bytes.
func FuzzDecodeTally(f *testing.F) {
	var tl Tally
	tl.Add(Contribution{Seq: 3, Outlet: "Fen Courier", Published: time.Unix(1e9, 5).In(time.FixedZone("", 3600))})
	f.Add(EncodeTally(tl))
	f.Add([]byte{})
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		tl, err := DecodeTally(b)
		if err != nil || len(b) == 0 {
			return
		}
		again, err := DecodeTally(EncodeTally(tl))
		if err != nil || !reflect.DeepEqual(EncodeTally(again), EncodeTally(tl)) {
			t.Fatalf("%x decodes to %+v, which does not round-trip: %v", b, tl, err)
		}
	})
}

// FuzzCursor: any text is a cursor or ErrBadCursor, and a decoded cursor
// encodes back to what was read.
func FuzzCursor(f *testing.F) {
	f.Add(StoryCursor{Last: 5, Created: 6, ID: "s1"}.Encode())
	f.Add(EncodeArticleCursor(12))
	f.Add("zz")
	f.Fuzz(func(t *testing.T, s string) {
		if c, ok, err := DecodeStoryCursor(s); err != nil && !errors.Is(err, ErrBadCursor) {
			t.Fatalf("%q: %v", s, err)
		} else if ok {
			if back, _, err := DecodeStoryCursor(c.Encode()); err != nil || back != c {
				t.Fatalf("%q -> %+v -> %+v, %v", s, c, back, err)
			}
		}
		if seq, ok, err := DecodeArticleCursor(s); err != nil && !errors.Is(err, ErrBadCursor) {
			t.Fatalf("%q: %v", s, err)
		} else if ok {
			if back, _, err := DecodeArticleCursor(EncodeArticleCursor(seq)); err != nil || back != seq {
				t.Fatalf("%q -> %d -> %d, %v", s, seq, back, err)
			}
		}
	})
}
