package cluster

import (
	"reflect"
	"strings"
	"testing"
)

// TestTokenize states the tokens clustering reads off words.Tokens: a mark
// after a token is ^ for a capital, > for a sentence opener, | for a break
// after it.
func TestTokenize(t *testing.T) {
	tests := []struct {
		name, s string
		want    string
	}{
		{"compound parts and sentence ends", "The well-known Harbour-Master quit. Then Ilse Varo spoke",
			"the^> well known harbour^ master^ quit| then^> ilse^ varo^ spoke"},
		{"glued number and suffix", "the 11th race, 76ers won 1,200 to 6.4",
			"the> 11th race| 76ers won 1200 to 6.4"},
		{"glued number and a compound", "an 18th-century mill", "an> 18th century mill"},
		{"contractions spelled out", "Vell's boat won't sail; they're late",
			"vell^> boat will not sail| they> are late"},
		{"quotes and brackets break, not end", `Mayor “Aldo” Brun (Ostvik) said`,
			"mayor^>| aldo^| brun^| ostvik^| said"},
		{"cjk runs as bigrams, a lone character whole", "東京で地震 港",
			"東京| 京で| で地| 地震| 港|"},
		{"thai runs as rune bigrams", "ท่าเรือ", "ท่| ่า| าเ| เร| รื| ือ|"},
		{"hangul words as bigrams", "부산 항구", "부산| 항구|"},
		{"numbers of other scripts stay numbers", "๑๒ boats", "๑๒> boats"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, tk := range tokenize(tc.s) {
				s := tk.text
				if tk.capital {
					s += "^"
				}
				if tk.sentStart {
					s += ">"
				}
				if tk.breakAfter {
					s += "|"
				}
				got = append(got, s)
			}
			if want := strings.Fields(tc.want); !reflect.DeepEqual(got, want) {
				t.Errorf("tokenize(%q):\n got %q\nwant %q", tc.s, got, want)
			}
		})
	}
}

// BenchmarkExtract computes the features of every allsides-dev article,
// title and body: the per-article cost of clustering before Assign.
func BenchmarkExtract(b *testing.B) {
	d := loadDev(b, "allsides-dev")
	var bytes int64
	for _, doc := range d.docs {
		bytes += int64(len(doc.title) + len(doc.text))
	}
	b.SetBytes(bytes)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for _, doc := range d.docs {
			Extract(doc.title, doc.text, "en", doc.published)
		}
	}
	b.ReportMetric(float64(len(d.docs)*b.N)/b.Elapsed().Seconds(), "articles/s")
}
