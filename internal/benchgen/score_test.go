package benchgen

import (
	"math"
	"strings"
	"testing"
)

func TestScores(t *testing.T) {
	tests := []struct {
		name         string
		gold, pred   []string
		bcubed, pair PRF
	}{
		{"perfect", []string{"a", "a", "b"}, []string{"1", "1", "2"}, PRF{1, 1, 1}, PRF{1, 1, 1}},
		{"all merged", []string{"a", "a", "b", "b"}, []string{"x", "x", "x", "x"},
			PRF{0.5, 1, 2.0 / 3}, PRF{1.0 / 3, 1, 0.5}},
		{"all split", []string{"a", "a", "b"}, []string{"x", "y", "z"},
			PRF{1, 2.0 / 3, 0.8}, PRF{1, 0, 0}},
		// Cells (a,x)=2, (a,y)=1, (b,y)=2 of classes a=3, b=2 and clusters
		// x=2, y=3: P = (2·2/2 + 1·1/3 + 2·2/3)/5, R = (2·2/3 + 1·1/3 + 2·2/2)/5.
		{"crossed", []string{"a", "a", "a", "b", "b"}, []string{"x", "x", "y", "y", "y"},
			PRF{11.0 / 15, 11.0 / 15, 11.0 / 15}, PRF{0.5, 0.5, 0.5}},
		{"uneven", []string{"a", "a", "a", "a", "b"}, []string{"x", "x", "x", "y", "y"},
			PRF{(3*3.0/3 + 1*1.0/2 + 1*1.0/2) / 5, (3*3.0/4 + 1*1.0/4 + 1) / 5, 2 * 0.8 * 0.7 / 1.5}, PRF{3.0 / 4, 3.0 / 6, 0.6}},
		{"no items", nil, nil, PRF{1, 1, 1}, PRF{1, 1, 1}},
		{"singletons only", []string{"a", "b"}, []string{"x", "y"}, PRF{1, 1, 1}, PRF{1, 1, 1}},
	}
	near := func(x, y PRF) bool {
		return math.Abs(x.P-y.P) < 1e-9 && math.Abs(x.R-y.R) < 1e-9 && math.Abs(x.F1-y.F1) < 1e-9
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := BCubed(tt.gold, tt.pred)
			if err != nil || !near(b, tt.bcubed) {
				t.Errorf("BCubed = %+v, %v; want %+v", b, err, tt.bcubed)
			}
			p, err := Pairwise(tt.gold, tt.pred)
			if err != nil || !near(p, tt.pair) {
				t.Errorf("Pairwise = %+v, %v; want %+v", p, err, tt.pair)
			}
		})
	}
	if _, err := BCubed([]string{"a"}, []int{}); err == nil {
		t.Error("BCubed of unequal lengths: no error")
	}
	if _, err := Pairwise([]string{"a"}, []int{}); err == nil {
		t.Error("Pairwise of unequal lengths: no error")
	}
}

func TestReadTruth(t *testing.T) {
	tests := []struct {
		name, in string
		stories  []string
		err      string
	}{
		{"two lines", `{"line":1,"url":"u1","story":"s1","topic":"t"}` + "\n" + `{"line":2,"url":"u2","story":"s1","copy_of":"u1","topic":"t"}` + "\n", []string{"s1", "s1"}, ""},
		{"empty", "", nil, ""},
		{"not json", "{\n", nil, "truth line 1"},
		{"out of order", `{"line":2,"story":"s"}`, nil, "want line 1"},
		{"no story", `{"line":1}`, nil, "with a story"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			err := ReadTruth(strings.NewReader(tt.in), func(tr Truth) error {
				got = append(got, tr.Story)
				return nil
			})
			if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
				t.Fatalf("err %v, want %q", err, tt.err)
			}
			if strings.Join(got, ",") != strings.Join(tt.stories, ",") {
				t.Errorf("stories %q, want %q", got, tt.stories)
			}
		})
	}
}

func FuzzReadTruth(f *testing.F) {
	f.Add(`{"line":1,"url":"u","story":"s","topic":"t"}` + "\n")
	f.Add("{\"line\":1,\"story\":\"\"}\n\n")
	f.Fuzz(func(t *testing.T, in string) {
		n := 0
		_ = ReadTruth(strings.NewReader(in), func(tr Truth) error {
			n++
			if tr.Line != n || tr.Story == "" {
				t.Fatalf("accepted line %d as %+v", n, tr)
			}
			return nil
		})
	})
}
