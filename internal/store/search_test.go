package store

import (
	"errors"
	"math"
	"testing"

	"github.com/dossiernews/dossier/internal/query"
)

func TestSearchCursor(t *testing.T) {
	for _, c := range []SearchCursor{
		{},
		{Ranked: true, Rank: -3.25, Key: 42},
		{Dated: true, Published: -1 << 62, Key: 1<<40 | 7},
		{Ranked: true, Rank: math.Inf(-1), Dated: true, Published: 5, Key: -1},
		{Ranked: true, Rank: -7.5, Key: 900, From: 800, Below: 2000},
		{Ranked: true, Rank: -0.5, Key: 3, Below: 40},
	} {
		got, ok, err := DecodeSearchCursor(c.Encode())
		if err != nil || !ok || got != c {
			t.Errorf("%+v reads back as %+v, %v, %v", c, got, ok, err)
		}
	}
	if _, ok, err := DecodeSearchCursor(""); ok || err != nil {
		t.Errorf(`"" is the start: %v, %v`, ok, err)
	}
	for _, bad := range []string{"q", "7101", EncodeArticleCursor(1), "710104" + "0000000000000000" + "0202", "7101" + "00" + "7ff8000000000001" + "0000"} {
		if _, _, err := DecodeSearchCursor(bad); !errors.Is(err, ErrBadCursor) {
			t.Errorf("DecodeSearchCursor(%q): %v, want ErrBadCursor", bad, err)
		}
	}
}

func FuzzSearchCursor(f *testing.F) {
	f.Add(SearchCursor{Ranked: true, Rank: -1.5, Key: 9}.Encode())
	f.Add(SearchCursor{Dated: true, Published: 1e18, Key: 3}.Encode())
	f.Add(SearchCursor{Ranked: true, Rank: -2, Key: 5, From: 4, Below: 9}.Encode())
	f.Fuzz(func(t *testing.T, s string) {
		c, ok, err := DecodeSearchCursor(s)
		if err != nil || !ok {
			return
		}
		again, ok, err := DecodeSearchCursor(c.Encode())
		if err != nil || !ok || again != c {
			t.Fatalf("%q reads as %+v, which reads back as %+v, %v", s, c, again, err)
		}
	})
}

func TestNameMatches(t *testing.T) {
	name := query.Tokens("Valley Herald Weekly")
	for _, tc := range []struct {
		runs string
		want bool
	}{
		{"herald", true},
		{`"valley herald"`, true},
		{`"herald valley"`, false},
		{"weekly valley", true},
		{"gazette", false},
		{"", true},
	} {
		q := query.Parse(tc.runs)
		var runs [][]string
		for _, term := range q.Terms {
			runs = append(runs, term.Tokens)
		}
		if got := NameMatches(name, runs); got != tc.want {
			t.Errorf("NameMatches(%q) = %v, want %v", tc.runs, got, tc.want)
		}
	}
}
