package cluster

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"
	"time"
)

// fixtureStories are the stories of the fixtures assigned dated, with an
// story of odd weights and an early date.
func fixtureStories(t *testing.T) []*story {
	c := New(DefaultConfig())
	s := fixtureStream(t)
	for i, id := range s.ids {
		c.Assign(id, s.feats[i])
	}
	c.Restore("odd", "s-odd", Features{
		Terms:     map[string]float32{"fractional": 0.375, "huge": 3e7, "plain": 2},
		Published: time.Date(1901, 2, 3, 4, 5, 6, 789, time.UTC),
		Stated:    []Period{dayPeriod(1900, 12, 31), {time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1901, 1, 1, 0, 0, 0, 0, time.UTC)}},
	})
	var out []*story
	for _, st := range c.stories {
		out = append(out, st)
	}
	return out
}

// storyFields is what a story's state must give back.
type storyFields struct {
	Seq      int64
	Size     int
	Centroid map[string]int64
	Members  []memberFields
	Dates    []int64
	Stated   []periodCount
}

type memberFields struct {
	ID    string
	Names []string
	W     []float32
	TF    []float64
}

func fieldsOf(s *story) storyFields {
	f := storyFields{Seq: s.seq, Size: s.size, Centroid: s.centroid, Stated: s.stated}
	for _, m := range s.members {
		mf := memberFields{ID: m.id, Names: m.names, W: m.w}
		for _, e := range m.terms {
			mf.TF = append(mf.TF, e.x)
		}
		f.Members = append(f.Members, mf)
	}
	for _, d := range s.dates {
		f.Dates = append(f.Dates, d.UnixNano())
	}
	return f
}

func TestStoryStateRoundTrip(t *testing.T) {
	stories := fixtureStories(t)
	if len(stories) < 4 || !slices.ContainsFunc(stories, func(s *story) bool { return s.id == "s-odd" && len(s.members) == 1 && len(s.stated) == 2 }) {
		t.Fatalf("%d stories", len(stories))
	}
	for _, s := range stories {
		b := marshalStory(s)
		got, err := unmarshalStory(s.id, b)
		if err != nil {
			t.Fatalf("story %s: %v", s.id, err)
		}
		if g, w := fieldsOf(got), fieldsOf(s); !reflect.DeepEqual(g, w) {
			t.Errorf("story %s:\n got %+v\nwant %+v", s.id, g, w)
		}
		if again := marshalStory(got); !bytes.Equal(again, b) {
			t.Errorf("story %s: encoded again differs", s.id)
		}
	}
}

// TestStoryStateCompact: prefix-coded terms and varints keep a story of
// some size under what its terms and raw numbers take.
func TestStoryStateCompact(t *testing.T) {
	checked := 0
	for _, s := range fixtureStories(t) {
		if len(s.centroid) < 50 {
			continue
		}
		checked++
		raw := 0
		for term := range s.centroid {
			raw += len(term) + 8
		}
		for _, m := range s.members {
			for _, n := range m.names {
				raw += len(n) + 4
			}
		}
		if n := len(marshalStory(s)); n >= raw {
			t.Errorf("story %s: %d bytes, raw %d", s.id, n, raw)
		}
	}
	if checked == 0 {
		t.Error("no story of 50 terms to measure")
	}
}

func TestStoryStateBad(t *testing.T) {
	good := &story{id: "s", seq: 3, size: 2, centroid: map[string]int64{"alpha": 5, "beta": 7},
		members: []member{{id: "a1", names: []string{"alpha"}, w: []float32{2}, terms: []entry{{x: tf(2)}}}},
		dates:   []time.Time{time.Unix(100, 0), time.Unix(200, 5)},
		stated:  []periodCount{{dayPeriod(1969, 12, 31), 1}, {dayPeriod(1970, 1, 1), 2}}}
	b := marshalStory(good)
	if _, err := unmarshalStory("s", b); err != nil {
		t.Fatalf("good state: %v", err)
	}
	edit := func(f func(s *story)) []byte {
		s := *good
		s.centroid = map[string]int64{"alpha": 5, "beta": 7}
		s.members = append([]member(nil), good.members...)
		s.dates = append([]time.Time(nil), good.dates...)
		s.stated = append([]periodCount(nil), good.stated...)
		f(&s)
		return marshalStory(&s)
	}
	tests := []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"other version", append([]byte{9}, b[1:]...)},
		{"stated periods out of order", edit(func(s *story) { s.stated[0], s.stated[1] = s.stated[1], s.stated[0] })},
		{"stated period twice", edit(func(s *story) { s.stated[1].Period = s.stated[0].Period })},
		{"stated count zero", edit(func(s *story) { s.stated[0].n = 0 })},
		{"stated period of no days", edit(func(s *story) { s.stated[0].To = s.stated[0].From })},
		{"trailing byte", append(append([]byte(nil), b...), 0)},
		{"size zero", edit(func(s *story) { s.size = 0 })},
		{"more members than size", edit(func(s *story) { s.size = 1; s.members = append(s.members, s.members[0]) })},
		{"zero centroid sum", edit(func(s *story) { s.centroid["beta"] = 0 })},
		{"negative centroid sum", edit(func(s *story) { s.centroid["beta"] = -1 })},
		{"zero weight", edit(func(s *story) { s.members[0] = member{id: "a1", names: []string{"alpha"}, w: []float32{0}} })},
		{"NaN weight", edit(func(s *story) {
			s.members[0] = member{id: "a1", names: []string{"alpha"}, w: []float32{float32(math.NaN())}}
		})},
		{"unsorted member terms", edit(func(s *story) {
			s.members[0] = member{id: "a1", names: []string{"beta", "alpha"}, w: []float32{1, 1}}
		})},
		{"repeated member term", edit(func(s *story) {
			s.members[0] = member{id: "a1", names: []string{"alpha", "alpha"}, w: []float32{1, 1}}
		})},
		{"dates out of order", edit(func(s *story) { s.dates[0], s.dates[1] = s.dates[1], s.dates[0] })},
		{"huge count", []byte{1, 3, 2, 0xff, 0xff, 0xff, 0xff, 0x0f}},
	}
	for i := 1; i < len(b); i++ {
		tests = append(tests, struct {
			name string
			b    []byte
		}{fmt.Sprint("cut at ", i), b[:i]})
	}
	for _, tc := range tests {
		s, err := unmarshalStory("s", tc.b)
		if err == nil || s != nil {
			t.Errorf("%s: story %v, error %v; want an error", tc.name, s != nil, err)
		} else if !errors.Is(err, errStoryState) {
			t.Errorf("%s: error %v is not errStoryState", tc.name, err)
		}
	}
}

// TestStoryStateVersion1: a state stored before stories kept stated
// periods decodes, with none.
func TestStoryStateVersion1(t *testing.T) {
	s := &story{id: "s", seq: 1, size: 1, centroid: map[string]int64{"alpha": 5},
		dates: []time.Time{time.Unix(100, 0)}}
	b := marshalStory(s)
	if b[len(b)-1] != 0 {
		t.Fatalf("state does not end in an empty period count: % x", b)
	}
	v1 := append([]byte{1}, b[1:len(b)-1]...)
	got, err := unmarshalStory("s", v1)
	if err != nil {
		t.Fatalf("version 1: %v", err)
	}
	if g, w := fieldsOf(got), fieldsOf(s); !reflect.DeepEqual(g, w) {
		t.Errorf("version 1:\n got %+v\nwant %+v", g, w)
	}
}

// FuzzUnmarshalStory: any input decodes or fails, never panics, and what
// decodes encodes to a state that decodes the same.
func FuzzUnmarshalStory(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1, 0, 1, 0, 0, 0})
	f.Add(marshalStory(&story{size: 1, centroid: map[string]int64{"x": 1},
		members: []member{{id: "m", names: []string{"x", "xy"}, w: []float32{1, 0.5}}},
		dates:   []time.Time{time.Unix(-5, 3), time.Unix(9, 0)}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := unmarshalStory("s", b)
		if err != nil {
			return
		}
		again, err := unmarshalStory("s", marshalStory(s))
		if err != nil {
			t.Fatalf("re-encoded state fails: %v", err)
		}
		if g, w := fieldsOf(again), fieldsOf(s); !reflect.DeepEqual(g, w) {
			t.Fatalf("re-encoded state differs:\n got %+v\nwant %+v", g, w)
		}
	})
}
