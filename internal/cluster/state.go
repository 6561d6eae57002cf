package cluster

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/dossiernews/dossier/internal/varint"
)

// storyVersion is the first byte of a stored story state. Version 1 had no
// stated periods; it still decodes, with none.
const storyVersion = 2

// marshalStory encodes what a story needs to go on exactly after a restart
// (its ID and keys are stored beside it):
//
//	version, seq, size
//	centroid: count, then per term (sorted) its prefix-coded name and sum
//	members: count, then per member its ID, term count, and per term its
//	  prefix-coded name and weight
//	dates: count, the first as signed seconds and nanoseconds, the rest as
//	  seconds after the one before and nanoseconds
//	stated periods: count, then per period (in order) its days
//	  (appendPeriod) and how many members state it
//
// All numbers are varints. A weight that is a small whole number is stored
// as its value, others as float32 bits.
func marshalStory(s *story) []byte {
	b := []byte{storyVersion}
	b = binary.AppendUvarint(b, uint64(s.seq))
	b = binary.AppendUvarint(b, uint64(s.size))
	terms := sortedKeys(s.centroid)
	b = binary.AppendUvarint(b, uint64(len(terms)))
	prev := ""
	for _, t := range terms {
		b = appendTerm(b, prev, t)
		b = binary.AppendUvarint(b, uint64(s.centroid[t]))
		prev = t
	}
	b = binary.AppendUvarint(b, uint64(len(s.members)))
	for _, m := range s.members {
		b = binary.AppendUvarint(b, uint64(len(m.id)))
		b = append(b, m.id...)
		b = binary.AppendUvarint(b, uint64(len(m.names)))
		prev = ""
		for i, t := range m.names {
			b = appendTerm(b, prev, t)
			b = appendWeight(b, m.w[i])
			prev = t
		}
	}
	b = binary.AppendUvarint(b, uint64(len(s.dates)))
	var last int64
	for i, d := range s.dates {
		sec := d.Unix()
		if i == 0 {
			b = binary.AppendVarint(b, sec)
		} else {
			b = binary.AppendUvarint(b, uint64(sec-last))
		}
		b = binary.AppendUvarint(b, uint64(d.Nanosecond()))
		last = sec
	}
	b = binary.AppendUvarint(b, uint64(len(s.stated)))
	for _, p := range s.stated {
		b = appendPeriod(b, p.Period)
		b = binary.AppendUvarint(b, uint64(p.n))
	}
	return b
}

// appendTerm writes t as the length of the prefix it shares with prev and
// the rest.
func appendTerm(b []byte, prev, t string) []byte {
	n := 0
	for n < len(prev) && n < len(t) && prev[n] == t[n] {
		n++
	}
	b = binary.AppendUvarint(b, uint64(n))
	b = binary.AppendUvarint(b, uint64(len(t)-n))
	return append(b, t[n:]...)
}

// wholeWeights bounds the weights stored as whole numbers: float32 holds
// every integer below it exactly.
const wholeWeights = 1 << 24

func appendWeight(b []byte, w float32) []byte {
	if w == float32(int32(w)) && w > 0 && w < wholeWeights {
		return binary.AppendUvarint(b, uint64(w)<<1)
	}
	return binary.AppendUvarint(b, uint64(math.Float32bits(w))<<1|1)
}

var errStoryState = errors.New("bad story state")

// stateReader reads a story state, keeping the first error.
type stateReader struct{ *varint.Reader }

// term reads a prefix-coded term, which must sort after prev.
func (r stateReader) term(what, prev string, first bool) string {
	shared := r.Uvarint(what)
	if shared > uint64(len(prev)) {
		r.Fail("%s: shares %d bytes of a %d-byte term", what, shared, len(prev))
		return ""
	}
	rest := r.Bytes(what, r.Uvarint(what))
	t := prev[:shared] + string(rest)
	if r.Err() == nil && !first && t <= prev {
		r.Fail("%s: %q not after %q", what, t, prev)
	}
	return t
}

// unmarshalStory decodes what marshalStory wrote for the story id. Its
// member entries are left for the caller to bind to document frequencies.
func unmarshalStory(id string, b []byte) (*story, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("%w: empty", errStoryState)
	}
	version := b[0]
	if version != 1 && version != storyVersion {
		return nil, fmt.Errorf("%w: version %d, want %d", errStoryState, version, storyVersion)
	}
	r := stateReader{varint.NewReader(b[1:])}
	s := &story{id: id, stale: true}
	seq := r.Uvarint("seq")
	size := r.Uvarint("size")
	if seq > math.MaxInt64 || size == 0 || size > math.MaxInt32 {
		r.Fail("seq %d, size %d", seq, size)
	}
	s.seq, s.size = int64(seq), int(size)
	n := r.Count("centroid")
	s.centroid = make(map[string]int64, n)
	prev := ""
	for i := range n {
		t := r.term("centroid term", prev, i == 0)
		v := r.Uvarint("centroid sum")
		if r.Err() == nil && (v == 0 || v > math.MaxInt64) {
			r.Fail("centroid %q: sum %d", t, v)
		}
		s.centroid[t] = int64(v)
		prev = t
	}
	n = r.Count("members")
	if r.Err() == nil && (n > keepMembers || n > s.size) {
		r.Fail("%d members of a story of %d", n, s.size)
	}
	for range n {
		var m member
		m.id = string(r.Bytes("member id", r.Uvarint("member id")))
		k := r.Count("member terms")
		m.names, m.w, m.terms = make([]string, k), make([]float32, k), make([]entry, k)
		prev = ""
		for j := range k {
			m.names[j] = r.term("member term", prev, j == 0)
			m.w[j] = r.weight()
			m.terms[j].x = tf(m.w[j])
			prev = m.names[j]
		}
		s.members = append(s.members, m)
	}
	n = r.Count("dates")
	if r.Err() == nil && n > s.size {
		r.Fail("%d dates of a story of %d", n, s.size)
	}
	var sec int64
	for i := range n {
		if i == 0 {
			sec = r.Varint("date")
		} else {
			d := r.Uvarint("date step")
			if d > math.MaxInt64-uint64(max(sec, 0)) {
				r.Fail("date step %d", d)
			}
			sec += int64(d)
		}
		ns := r.Uvarint("nanoseconds")
		if ns >= 1e9 {
			r.Fail("nanoseconds %d", ns)
		}
		if r.Err() != nil {
			break
		}
		d := time.Unix(sec, int64(ns)).UTC()
		if i > 0 && d.Before(s.dates[i-1]) {
			r.Fail("dates out of order")
			break
		}
		s.dates = append(s.dates, d)
	}
	if version >= 2 {
		n = r.Count("stated periods")
		for range n {
			if r.Err() != nil {
				break
			}
			p, err := r.period()
			k := r.Uvarint("stated count")
			switch {
			case err != nil:
				r.Fail("stated period: %v", err)
			case k == 0 || k > uint64(s.size)*maxStated:
				r.Fail("stated count %d of a story of %d", k, s.size)
			case len(s.stated) > 0 && comparePeriod(s.stated[len(s.stated)-1], p) >= 0:
				r.Fail("stated periods out of order")
			}
			if r.Err() != nil {
				break
			}
			s.stated = append(s.stated, periodCount{p, int(k)})
		}
	}
	r.End()
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("%w: %w", errStoryState, err)
	}
	s.dates = slices.Clip(s.dates)
	return s, nil
}

// period reads a period appendPeriod wrote.
func (r stateReader) period() (Period, error) {
	from := r.Varint("stated day")
	days := r.Uvarint("stated days")
	if r.Err() != nil {
		return Period{}, r.Err()
	}
	return periodOf(from, days)
}

// weight reads a member's term weight, which must be positive and finite.
func (r stateReader) weight() float32 {
	v := r.Uvarint("weight")
	var w float32
	if v&1 == 0 {
		w = float32(v >> 1)
	} else if v>>1 <= math.MaxUint32 {
		w = math.Float32frombits(uint32(v >> 1))
	}
	if r.Err() == nil && !(w > 0 && w <= math.MaxFloat32) {
		r.Fail("weight %v", w)
	}
	return w
}
