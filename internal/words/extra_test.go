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
