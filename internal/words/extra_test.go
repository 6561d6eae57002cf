package words

import (
	"reflect"
	"testing"
)

func TestTerms(t *testing.T) {
	tests := []string{
		`We'll reopen Harrow Bridge on March 3, the 2,014 riders were told.`,
		`"They can't," said Ona Brisk. 東京`,
		``,
	}
	for _, s := range tests {
		var stems []string
		for _, tm := range Terms(s) {
			stems = append(stems, tm.Stem)
			if tm.Start < 0 || tm.End > len(s) || tm.Start >= tm.End {
				t.Errorf("Terms(%q): %q has offsets [%d,%d)", s, tm.Stem, tm.Start, tm.End)
			}
		}
		if want := Content(s); !reflect.DeepEqual(stems, want) {
			t.Errorf("Terms(%q) stems %q, Content gives %q", s, stems, want)
		}
	}
	got := Terms(`Harrow opened 2,014 lanes`)
	want := []Term{{"harrow", 0, 6, Word, true}, {"open", 7, 13, Word, false}, {"2014", 14, 19, Number, false}, {"lane", 20, 25, Word, false}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Terms:\n got %+v\nwant %+v", got, want)
	}
}

func TestIsCalendar(t *testing.T) {
	for w, want := range map[string]bool{"march": true, "tue": true, "sept": true, "harbour": false, "": false} {
		if got := IsCalendar(w); got != want {
			t.Errorf("IsCalendar(%q) = %v, want %v", w, got, want)
		}
	}
}

func TestBase(t *testing.T) {
	for in, want := range map[string]string{"made": "make", "gone": "go", "took": "take", "children": "child", "women": "woman", "bridge": "bridge", "": ""} {
		if got := Base(in); got != want {
			t.Errorf("Base(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTokensOtherDigits: digits of other scripts are numbers too, and the
// scan moves past them (it once looped for ever on them).
func TestTokensOtherDigits(t *testing.T) {
	s := "قتل ٢٣ شخصا و 1,5 ۶۷"
	var got []string
	for _, tk := range Tokens(s) {
		if tk.Kind == Number {
			got = append(got, tk.Text)
		}
	}
	if want := []string{"٢٣", "1,5", "۶۷"}; !reflect.DeepEqual(got, want) {
		t.Errorf("numbers of %q: %q, want %q", s, got, want)
	}
}

// FuzzTerms: any text ends, offsets slice inside it, and Terms stays
// Content with offsets.
func FuzzTerms(f *testing.F) {
	f.Add("We'll reopen 2,014 berths on 3 March. ٢٣ 東京")
	f.Add("\xff\xfe'-,.9")
	f.Fuzz(func(t *testing.T, s string) {
		var stems []string
		for _, tm := range Terms(s) {
			if tm.Start < 0 || tm.End > len(s) || tm.Start >= tm.End {
				t.Fatalf("%q: term %q at [%d,%d)", s, tm.Stem, tm.Start, tm.End)
			}
			stems = append(stems, tm.Stem)
		}
		if c := Content(s); !reflect.DeepEqual(stems, c) && (len(stems) > 0 || len(c) > 0) {
			t.Fatalf("%q: Terms %q, Content %q", s, stems, c)
		}
		for _, sp := range Sentences(s) {
			if sp.Start < 0 || sp.End > len(s) || sp.Start >= sp.End {
				t.Fatalf("%q: sentence [%d,%d)", s, sp.Start, sp.End)
			}
		}
	})
}
