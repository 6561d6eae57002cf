package store

import (
	"testing"
	"time"
)

func TestParseBound(t *testing.T) {
	tests := []struct {
		in   string
		end  bool
		want string // RFC 3339 with nanoseconds, "" for zero, "error"
	}{
		{"", false, ""},
		{"2024-05-01", false, "2024-05-01T00:00:00Z"},
		{"2024-05-01", true, "2024-05-02T00:00:00Z"},
		{" 2024-05-01 ", false, "2024-05-01T00:00:00Z"},
		{"2024-05-01T10:00:00+02:00", false, "2024-05-01T10:00:00+02:00"},
		{"2024-05-01T10:00:00+02:00", true, "2024-05-01T10:00:00.000000001+02:00"},
		{"May 1", false, "error"},
		{"2024-13-01", false, "error"},
	}
	for _, tc := range tests {
		got, err := ParseBound(tc.in, tc.end)
		s := "error"
		if err == nil {
			s = ""
			if !got.IsZero() {
				s = got.Format(time.RFC3339Nano)
			}
		}
		if s != tc.want {
			t.Errorf("ParseBound(%q, %v) = %q, want %q", tc.in, tc.end, s, tc.want)
		}
	}
}

// FuzzParseBound: any bound a person types gives a time or an error, never a panic,
// and an end of range is never before its start.
func FuzzParseBound(f *testing.F) {
	for _, s := range []string{"2024-05-01", "2024-05-01T10:00:00Z", "", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		from, err1 := ParseBound(s, false)
		to, err2 := ParseBound(s, true)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("%q: start error %v, end error %v", s, err1, err2)
		}
		if err1 == nil && to.Before(from) {
			t.Fatalf("%q: end %v before start %v", s, to, from)
		}
	})
}
