package words

import "testing"

func TestReadNumber(t *testing.T) {
	tests := []struct {
		text   string
		at     int // token index
		value  float64
		step   float64
		phrase string
		ok     bool
	}{
		{"2,014 people", 0, 2014, 1, "2,014", true},
		{"about 2,000 people", 1, 2000, 1000, "2,000", true},
		{"a $2.3 million grant", 1, 2.3e6, 1e5, "2.3 million", true},
		{"€4bn in aid", 0, 4e9, 1e9, "4bn", true},
		{"three hundred homes", 0, 300, 100, "three hundred", true},
		{"twenty-one boats", 0, 21, 1, "twenty-one", true},
		{"a dozen boats", 0, 12, 2, "a dozen", true},
		{"1500 fans", 0, 1500, 100, "1500", true},
		{"COVID-19 cases", 1, 0, 0, "", false},
		{"the G7 summit", 1, 0, 0, "", false},
		{"the 21st time", 1, 0, 0, "", false},
		{"a 3D print", 1, 0, 0, "", false},
		{"1,5 litres", 0, 0, 0, "", false},
		{"a boat", 0, 0, 0, "", false},
	}
	for _, tt := range tests {
		toks := Tokens(tt.text)
		a, ok := ReadNumber(tt.text, toks, tt.at)
		if ok != tt.ok {
			t.Errorf("ReadNumber(%q, %d) ok = %v, want %v", tt.text, tt.at, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if a.Value != tt.value || a.Step != tt.step || tt.text[a.Start:a.End] != tt.phrase {
			t.Errorf("ReadNumber(%q, %d) = %v step %v %q, want %v step %v %q", tt.text, tt.at, a.Value, a.Step, tt.text[a.Start:a.End], tt.value, tt.step, tt.phrase)
		}
	}
}

func TestParseDigits(t *testing.T) {
	for s, want := range map[string][2]float64{"14": {14, 1}, "2,400": {2400, 100}, "3.25": {3.25, 0.01}, "100": {100, 100}, "90": {90, 1}} {
		v, step, ok := ParseDigits(s)
		if !ok || v != want[0] || step != want[1] {
			t.Errorf("ParseDigits(%q) = %v, %v, %v; want %v, %v", s, v, step, ok, want[0], want[1])
		}
	}
	for _, s := range []string{"1,50", "12,3456", ",100", "1.2.3"} {
		if _, _, ok := ParseDigits(s); ok {
			t.Errorf("ParseDigits(%q) read a number", s)
		}
	}
}

func FuzzReadNumber(f *testing.F) {
	for _, s := range []string{"2.3 million", "a dozen", "twenty-one", "$4bn", "1,5", "3-4", "99th"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokens(s)
		for i := range toks {
			a, ok := ReadNumber(s, toks, i)
			if !ok {
				continue
			}
			if a.Start < 0 || a.End > len(s) || a.Start >= a.End || a.First != i || a.Last < a.First || a.Last >= len(toks) {
				t.Fatalf("ReadNumber(%q, %d) = %+v", s, i, a)
			}
		}
	})
}
