package quote

import "testing"

// TestNotQuotes checks that names of works, terms, transcripts and stage
// directions in quote marks are not returned, while speech that looks
// like them is.
func TestNotQuotes(t *testing.T) {
	cases := []struct {
		name, text string
		want       []string // the quotes' texts, in order
	}{
		{"film title", "The festival closes with the film “Northern Lights” on Sunday.", nil},
		{"book title after comma", "Her first book, “A Winter at Sea,” sold well in the north.", nil},
		{"titled", "The council's new leaflet, titled “Safe Harbours,” went out in May.", nil},
		{"episode of a show", "She spoke on an episode of “The Harbour Hour” last week.", nil},
		{"owner and year", "The pact revived his 1998 “Plan for the Coast” almost word for word.", nil},
		{"so-called", "Critics of the so-called “reform” gathered outside the town hall.", nil},
		{"short term, nobody speaks", "The port opened a \"floating dock\" beside the ferry berth last year.", nil},
		{"nickname", "The fans greeted him with the nickname “Iron Oskar” at the pier.", nil},
		{"stage direction", "\"We will not close the yard,\" Roe said.\n\n\"(APPLAUSE)\"", []string{"We will not close the yard"}},
		{"transcript", "Transcript follows:\n\n\"HOST: Will the ferry run?\n\n\"ROE: It will run on Monday.\n\n\"And on Tuesday too.\"", nil},
		{"title quoted again", "The choir sang the song “Cold Harbour” at dusk.\n\n“Cold Harbour (Night Version)” was written by Ana Lind in 1990.", nil},
		{"run-in heading", "Ferry Talks Stall Again: the “harbour plan” is late, Roe said.", []string{"harbour plan"}},
		{"short term attributed", "Roe called the plan a \"floating disaster\" on Monday.", []string{"floating disaster"}},
		{"short term owned", "The minister defended her \"harbour first\" policy.", []string{"harbour first"}},
		{"short clause kept", "The skipper insists the boat \"has its limits\" in winter.", []string{"has its limits"}},
		{"title case speech", "“Boats Before Cars,” Roe said at the rally.", []string{"Boats Before Cars"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Find(c.text)
			if len(got) != len(c.want) {
				t.Fatalf("%d quotes %+v, want %d", len(got), got, len(c.want))
			}
			for i, q := range got {
				if q.Text != c.want[i] {
					t.Errorf("quote %d: %q, want %q", i, q.Text, c.want[i])
				}
			}
		})
	}
}
