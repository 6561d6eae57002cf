package words

import (
	"reflect"
	"testing"
)

func TestTokens(t *testing.T) {
	s := `Ferries won't run; 2,014 people (3.5%) left well-known Port-Alder's quay. 東京都`
	var got []string
	for _, tk := range Tokens(s) {
		if s[tk.Start:tk.End] != tk.Text {
			t.Errorf("token %q: offsets [%d,%d) hold %q", tk.Text, tk.Start, tk.End, s[tk.Start:tk.End])
		}
		got = append(got, tk.Text)
	}
	want := []string{"Ferries", "won't", "run", "2,014", "people", "3.5", "left", "well-known", "Port-Alder's", "quay", "東", "京", "都"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Tokens:\n got %q\nwant %q", got, want)
	}
}

// TestTokensScripts: Han and kana give one character a token; other
// scripts are cut at what is no letter, and their digits are numbers.
func TestTokensScripts(t *testing.T) {
	tests := []struct {
		name, s string
		want    []string
		kinds   []Kind
	}{
		{"thai is one word a run", "ท่าเรือ ๑๒", []string{"ท่าเรือ", "๑๒"}, []Kind{Word, Number}},
		{"kana then latin", "カメラ2台とGPS", []string{"カ", "メ", "ラ", "2", "台", "と", "GPS"}, []Kind{Word, Word, Word, Number, Word, Word, Word}},
		{"hangul is spaced", "부산 항구에서", []string{"부산", "항구에서"}, nil},
		{"no hyphen before han", "GPS-東京", []string{"GPS", "東", "京"}, nil},
	}
	for _, tt := range tests {
		var got []string
		var kinds []Kind
		for _, tk := range Tokens(tt.s) {
			got = append(got, tk.Text)
			kinds = append(kinds, tk.Kind)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Tokens(%q) = %q, want %q", tt.name, tt.s, got, tt.want)
		}
		if tt.kinds != nil && !reflect.DeepEqual(kinds, tt.kinds) {
			t.Errorf("%s: kinds %v, want %v", tt.name, kinds, tt.kinds)
		}
	}
}

// TestAll: All yields what Tokens returns and stops when told.
func TestAll(t *testing.T) {
	s := "Ferries won't run; 2,014 left. 東京 ท่า"
	var got []Token
	for tk := range All(s) {
		got = append(got, tk)
	}
	if want := Tokens(s); !reflect.DeepEqual(got, want) {
		t.Errorf("All:\n got %v\nwant %v", got, want)
	}
	n := 0
	for range All(s) {
		n++
		if n == 2 {
			break
		}
	}
	if n != 2 {
		t.Errorf("All went on after a break: %d tokens", n)
	}
}

func TestEnd(t *testing.T) {
	s := "Port-Alder's 2,014 東京 ."
	tests := []struct{ i, want int }{
		{0, 12},  // a word with its inner hyphen and apostrophe
		{13, 18}, // a number with its separator
		{19, 22}, // one unspaced character
		{18, 18}, // a space starts no token
		{len(s) - 1, len(s) - 1},
	}
	for _, tt := range tests {
		if got := End(s, tt.i); got != tt.want {
			t.Errorf("End(%q, %d) = %d, want %d", s, tt.i, got, tt.want)
		}
	}
}

func TestParts(t *testing.T) {
	s := "a well-known Port-Alder's quay, 2-0"
	var got [][]string
	for _, tk := range Tokens(s) {
		var ps []string
		for _, p := range Parts(tk) {
			if s[p.Start:p.End] != p.Text {
				t.Errorf("part %q: offsets [%d,%d) hold %q", p.Text, p.Start, p.End, s[p.Start:p.End])
			}
			ps = append(ps, p.Text)
		}
		got = append(got, ps)
	}
	want := [][]string{{"a"}, {"well", "known"}, {"Port", "Alder's"}, {"quay"}, {"2"}, {"0"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parts:\n got %q\nwant %q", got, want)
	}
}

func TestSentences(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"The pier fell. No one was hurt.", []string{"The pier fell.", "No one was hurt."}},
		{`"We will rebuild," she said. "Soon."`, []string{`"We will rebuild," she said.`, `"Soon."`}},
		{"Mr. Varga and Dr. J. Ostrom met in the U.S. on Monday. It rained.", []string{"Mr. Varga and Dr. J. Ostrom met in the U.S. on Monday.", "It rained."}},
		{"It cost 3.5 million. Next.", []string{"It cost 3.5 million.", "Next."}},
		{"First paragraph without a stop\n\nSecond one.", []string{"First paragraph without a stop", "Second one."}},
		{"He asked why? then left.", []string{"He asked why? then left."}},
		{"港が閉鎖された。市長が話した。", []string{"港が閉鎖された。", "市長が話した。"}},
	}
	for _, tt := range tests {
		var got []string
		for _, sp := range Sentences(tt.text) {
			got = append(got, tt.text[sp.Start:sp.End])
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Sentences(%q):\n got %q\nwant %q", tt.text, got, tt.want)
		}
	}
}

func TestContent(t *testing.T) {
	tests := []struct{ a, b string }{
		{"We'll rebuild the pier", "we will rebuild the pier"},
		{"The talks stopped", "talking stops"},
		{"2,014 ferries", "2014 ferry"},
		{"They can't agree", "they can not agree"},
	}
	for _, tt := range tests {
		if a, b := Content(tt.a), Content(tt.b); !reflect.DeepEqual(a, b) {
			t.Errorf("Content(%q) = %q, Content(%q) = %q; want them equal", tt.a, a, tt.b, b)
		}
	}
	if got := Content("the of and said"); len(got) != 0 {
		t.Errorf("function words kept: %q", got)
	}
}

func TestStemKeepsShortAndForeign(t *testing.T) {
	for w, want := range map[string]string{"bus": "bus", "news": "new", "crisis": "crisis", "gas": "gas", "straße": "straße", "stopped": "stop", "policies": "policy", "boxes": "box", "called": "call"} {
		if got := Stem(w); got != want {
			t.Errorf("Stem(%q) = %q, want %q", w, got, want)
		}
	}
}

func FuzzSentencesAndTokens(f *testing.F) {
	for _, s := range []string{"A. B? c! \"D.\"\n\nE", "3.5, 2,0 x'y -z", "。！？", "U.S. Mr.", "a-b-c x-", "ท่าเรือ", "か\u3099"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		last := 0
		for _, sp := range Sentences(s) {
			if sp.Start < last || sp.End <= sp.Start || sp.End > len(s) {
				t.Fatalf("bad span %+v after %d in %q", sp, last, s)
			}
			last = sp.End
		}
		for _, tk := range Tokens(s) {
			if tk.Start < 0 || tk.End > len(s) || s[tk.Start:tk.End] != tk.Text {
				t.Fatalf("bad token %+v in %q", tk, s)
			}
			for _, p := range Parts(tk) {
				if p.Text == "" || p.Start < tk.Start || p.End > tk.End || s[p.Start:p.End] != p.Text {
					t.Fatalf("bad part %+v of %+v in %q", p, tk, s)
				}
			}
		}
		_ = Content(s)
	})
}
