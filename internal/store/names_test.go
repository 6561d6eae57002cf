package store

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	dossier "github.com/dossiernews/dossier"
)

func TestRefForms(t *testing.T) {
	for _, tc := range []struct {
		ref  string
		kind Kind
		want []string
	}{
		// An article ID is hex itself: read with the letter added too.
		{"a3f09", KindArticle, []string{"a3f09", "aa3f09"}},
		{"A3F09", KindArticle, []string{"A3F09", "a3f09", "aa3f09"}},
		{"s3f09", KindStory, []string{"s3f09"}},
		{"3f09", KindArticle, []string{"3f09", "a3f09"}},
		{"3F09", KindStory, []string{"3F09", "s3f09"}},
		{"S12", KindStory, []string{"S12", "s12"}},
		{"harbour", KindStory, []string{"harbour"}},
		{"", KindArticle, []string{""}},
	} {
		if got := RefForms(tc.ref, tc.kind); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("RefForms(%q, %v) = %q, want %q", tc.ref, tc.kind, got, tc.want)
		}
	}
}

func TestPrefixEnd(t *testing.T) {
	for _, tc := range []struct {
		p, end string
		ok     bool
	}{
		{"a3f", "a3g", true},
		{"a\xff", "b", true},
		{"\xff\xff", "", false},
		{"", "", false},
	} {
		end, ok := PrefixEnd(tc.p)
		if end != tc.end || ok != tc.ok {
			t.Errorf("PrefixEnd(%q) = %q, %v; want %q, %v", tc.p, end, ok, tc.end, tc.ok)
		}
	}
}

func TestCandidates(t *testing.T) {
	many := []string{"a1", "a2", "a3", "a4", "a5", "a6"}
	for _, tc := range []struct {
		name   string
		cands  []string
		id     string
		found  bool
		errHas string
	}{
		{"none", nil, "", false, ""},
		{"one", []string{"a1"}, "a1", true, ""},
		{"two", []string{"a1", "a2"}, "", false, "a1, a2"},
		{"more than shown", many, "", false, "a1, a2, a3, a4, a5, ..."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id, found, err := Candidates(tc.cands)
			if id != tc.id || found != tc.found {
				t.Errorf("Candidates = %q, %v; want %q, %v", id, found, tc.id, tc.found)
			}
			switch {
			case tc.errHas == "" && err != nil:
				t.Errorf("err %v, want none", err)
			case tc.errHas != "" && (!errors.Is(err, ErrAmbiguous) || !strings.HasSuffix(err.Error(), tc.errHas)):
				t.Errorf("err %v, want ErrAmbiguous listing %q", err, tc.errHas)
			}
		})
	}
}

func TestGivenName(t *testing.T) {
	if got := GivenName(dossier.Quote{Speaker: "Ines Haller"}); got != "Ines Haller" {
		t.Errorf("GivenName without Given = %q, want the speaker", got)
	}
	if got := GivenName(dossier.Quote{Speaker: "Ines Haller-Brun", Given: "Ines Haller"}); got != "Ines Haller" {
		t.Errorf("GivenName = %q, want Given", got)
	}
}

func TestTallyChange(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 6, d, 8, 0, 0, 0, time.UTC) }
	a := Contribution{Seq: 1, Outlet: "Fen Gazette", Published: day(1)}
	b := Contribution{Seq: 2, Outlet: "Moor Times", Published: day(3)}
	c := Contribution{Seq: 3, Outlet: "Fen Gazette", Published: day(2)}
	var base Tally
	base.Add(a)
	base.Add(b)
	for _, tc := range []struct {
		name     string
		out, in  *Contribution
		ok       bool
		articles int
		outlets  []string
	}{
		{"arrival", nil, &c, true, 3, []string{"Fen Gazette", "Moor Times"}},
		{"departure of the last date", &b, nil, false, 1, []string{"Fen Gazette"}},
		{"nothing", nil, nil, true, 2, []string{"Fen Gazette", "Moor Times"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := EncodeTally(base)
			got, ok := base.Change(tc.out, tc.in)
			if ok != tc.ok || got.Articles != tc.articles || !reflect.DeepEqual(got.OutletNames(), tc.outlets) {
				t.Errorf("Change = %d articles %v, ok %v; want %d %v, ok %v", got.Articles, got.OutletNames(), ok, tc.articles, tc.outlets, tc.ok)
			}
			if string(EncodeTally(base)) != string(before) {
				t.Error("Change altered the tally it was called on")
			}
		})
	}
}

func TestInstant(t *testing.T) {
	at := time.Date(2025, 4, 3, 10, 0, 0, 5, time.FixedZone("", -5*3600))
	ns, off, err := Instant(at)
	if err != nil || ns != at.UnixNano() || off != -5*3600 {
		t.Fatalf("Instant = %d, %d, %v", ns, off, err)
	}
	back, err := FromInstant(ns, off)
	if err != nil || !back.Equal(at) {
		t.Fatalf("FromInstant = %v, %v; want %v", back, err, at)
	}
	if _, o := back.Zone(); o != off {
		t.Errorf("offset %d, want %d", o, off)
	}
	if _, _, err := Instant(time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)); err == nil {
		t.Error("Instant of the year 1500 succeeded")
	}
	if _, err := FromInstant(0, 24*3600); err == nil {
		t.Error("FromInstant with a day's offset succeeded")
	}
}
