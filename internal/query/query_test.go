package query

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	d, err := time.Parse(DateLayout, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Query
		str  string
	}{
		{"", Query{}, ""},
		{"   \t ", Query{}, ""},
		{"Harbour", Query{Terms: []Term{{Tokens: []string{"harbour"}}}}, "harbour"},
		{"ferry  Timetable", Query{Terms: []Term{{Tokens: []string{"ferry"}}, {Tokens: []string{"timetable"}}}}, "ferry timetable"},
		{`"night ferry"`, Query{Terms: []Term{{Tokens: []string{"night", "ferry"}}}}, `"night ferry"`},
		{`"unclosed phrase`, Query{Terms: []Term{{Tokens: []string{"unclosed", "phrase"}}}}, `"unclosed phrase"`},
		{`ferr*`, Query{Terms: []Term{{Tokens: []string{"ferr"}, Prefix: true}}}, "ferr*"},
		{`"night fer"*`, Query{Terms: []Term{{Tokens: []string{"night", "fer"}, Prefix: true}}}, `"night fer"*`},
		{`foo*bar`, Query{Terms: []Term{{Tokens: []string{"foo", "bar"}}}}, `"foo bar"`},
		{`-storm`, Query{Terms: []Term{{Tokens: []string{"storm"}, Exclude: true}}}, "-storm"},
		{`-"high tide"`, Query{Terms: []Term{{Tokens: []string{"high", "tide"}, Exclude: true}}}, `-"high tide"`},
		{`- -- * "" "!!"`, Query{}, ""},
		{`don’t well-known`, Query{Terms: []Term{{Tokens: []string{"don't"}}, {Tokens: []string{"well-known"}}}}, "don't well-known"},
		{`speaker:Varga`, Query{Speakers: [][]string{{"varga"}}}, "speaker:varga"},
		{`speaker:"Ilse Varga" pier`, Query{Terms: []Term{{Tokens: []string{"pier"}}}, Speakers: [][]string{{"ilse", "varga"}}}, `pier speaker:"ilse varga"`},
		{`SPEAKER:"`, Query{Terms: []Term{{Tokens: []string{"speaker"}}}}, "speaker"},
		{`outlet:the-coast-post.example`, Query{Outlets: [][]string{{"the-coast-post", "example"}}}, `outlet:"the-coast-post example"`},
		{`lang:FR lang:fr`, Query{Langs: []string{"fr"}}, "lang:fr"},
		{`lang:french`, Query{Terms: []Term{{Tokens: []string{"lang", "french"}}}}, `"lang french"`},
		{`from:2021-05-01 to:2021-06-01`, Query{From: day("2021-05-01"), To: day("2021-06-01")}, "from:2021-05-01 to:2021-06-01"},
		{`from:2021-05-01 from:2020-01-01 to:2021-07-01 to:2021-06-01`, Query{From: day("2021-05-01"), To: day("2021-06-01")}, "from:2021-05-01 to:2021-06-01"},
		{`from:yesterday`, Query{Terms: []Term{{Tokens: []string{"from", "yesterday"}}}}, `"from yesterday"`},
		{`colon: a:b`, Query{Terms: []Term{{Tokens: []string{"colon"}}, {Tokens: []string{"a", "b"}}}}, `colon "a b"`},
		{`-speaker:Varga`, Query{Terms: []Term{{Tokens: []string{"speaker", "varga"}, Exclude: true}}}, `-"speaker varga"`},
		{`東京都`, Query{Terms: []Term{{Tokens: []string{"東", "京", "都"}}}}, `"東 京 都"`},
		{`부산 항구`, Query{Terms: []Term{{Tokens: []string{"부산"}}, {Tokens: []string{"항구"}}}}, `부산 항구`},
		{`3.5 2,014`, Query{Terms: []Term{{Tokens: []string{"3.5"}}, {Tokens: []string{"2,014"}}}}, `3.5 2,014`},
		{"a\u3000b", Query{Terms: []Term{{Tokens: []string{"a"}}, {Tokens: []string{"b"}}}}, "a b"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got := Parse(tc.in)
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Parse(%q) = %#v, want %#v", tc.in, got, tc.want)
			}
			if s := got.String(); s != tc.str {
				t.Errorf("String() = %q, want %q", s, tc.str)
			}
			if again := Parse(got.String()); !reflect.DeepEqual(again, got) {
				t.Errorf("Parse(String()) = %#v, want %#v", again, got)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"The Quay’s END, 12.5 m.", []string{"the", "quay's", "end", "12.5", "m"}},
		{"Ärger über Öl", []string{"ärger", "über", "öl"}},
		{"大阪の港", []string{"大", "阪", "の", "港"}},
	} {
		if got := Tokens(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPositiveNegative(t *testing.T) {
	q := Parse(`a -b "c d" -e*`)
	if got := len(q.Positive()); got != 2 {
		t.Errorf("positive terms: %d, want 2", got)
	}
	if got := len(q.Negative()); got != 2 {
		t.Errorf("negative terms: %d, want 2", got)
	}
	if q.IsZero() || !Parse(" - ").IsZero() {
		t.Error("IsZero wrong")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"", `a "b c" d* -e`, `speaker:"x y" outlet:z lang:en from:2020-01-02 to:2020-02-03`,
		`"`, `-`, `*`, `:`, `speaker:`, `lang:xx*`, `東京 부산`, "İstanbul", `a"b"c`, `"a"*b`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := Parse(s)
		again := Parse(q.String())
		if !reflect.DeepEqual(again, q) {
			t.Fatalf("Parse(%q): String %q reads back as %#v, want %#v", s, q.String(), again, q)
		}
		for _, term := range q.Terms {
			if len(term.Tokens) == 0 {
				t.Fatalf("Parse(%q): a term without tokens", s)
			}
		}
	})
}

// FuzzTokens: the stream of a stream is itself, so that a query's tokens,
// joined as the index holds them, read back the same.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{"İstanbul’s 3.5 well-known", "東京 ǅ ß", "a\u0301b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokens(s)
		if again := Tokens(strings.Join(toks, " ")); !reflect.DeepEqual(again, toks) {
			t.Fatalf("Tokens(%q) = %q, read back as %q", s, toks, again)
		}
		for _, tok := range toks {
			// The SQLite index splits on every other ASCII byte.
			for i := range len(tok) {
				c := tok[i]
				if c < 0x80 && !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("'-.,", c) >= 0) {
					t.Fatalf("Tokens(%q): token %q holds %q", s, tok, c)
				}
			}
		}
	})
}

func TestAnd(t *testing.T) {
	for _, tc := range []struct{ a, b, want string }{
		{"", "", ""},
		{"pier", `speaker:"ilse varga"`, `pier speaker:"ilse varga"`},
		{"a lang:en from:2021-01-01 to:2021-12-31", "b lang:en lang:fr from:2021-06-01 to:2022-01-01",
			"a b lang:en lang:fr from:2021-06-01 to:2021-12-31"},
		{"to:2021-12-31", "from:2021-06-01", "from:2021-06-01 to:2021-12-31"},
	} {
		got := Parse(tc.a).And(Parse(tc.b))
		if !reflect.DeepEqual(got, Parse(tc.want)) {
			t.Errorf("%q and %q = %q, want %q", tc.a, tc.b, got, tc.want)
		}
	}
}
