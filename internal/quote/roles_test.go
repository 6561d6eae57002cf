package quote

import "testing"

// TestRoles checks that a speaker's title or role, as the text gives it,
// goes with every quote of that speaker.
func TestRoles(t *testing.T) {
	type sr struct{ speaker, role string }
	cases := []struct {
		name, text string
		want       []sr // per quote, in order
	}{
		{"role before the name", "\"The quay is closed,\" harbour master Ines Varga said.", []sr{{"Ines Varga", "harbour master"}}},
		{"appositive role", "Ines Varga, the harbour master, said the quay was \"closed until spring\".", []sr{{"Ines Varga", "harbour master"}}},
		{"title in the name run", "\"We will not sell,\" said Deputy Minister Tove Brennvik.", []sr{{"Tove Brennvik", "Deputy Minister"}}},
		{"modifier in lower case", "Former Deputy Minister Tove Brennvik said the deal was \"a poor one\".", []sr{{"Tove Brennvik", "former Deputy Minister"}}},
		{"abbreviation spelt out", "\"Not this year,\" said Sen. Ola Brandt.", []sr{{"Ola Brandt", "Senator"}}},
		{"portfolio in the title", "\"We will act,\" Secretary of State Ana Roe said.", []sr{{"Ana Roe", "Secretary of State"}}},
		{"portfolio through for and and", "Talks can resume, Deputy Secretary of State for Ports and Harbours Ola Brandt said. \"We wait,\" he said.", []sr{{"Ola Brandt", "Deputy Secretary of State for Ports and Harbours"}}},
		{"portfolio after an inverted cue", "\"Stop,\" said Minister for Trade and Industry Ivo Q. Lund.", []sr{{"Ivo Q. Lund", "Minister for Trade and Industry"}}},
		{"spokesperson for a body", "\"No ship leaves tonight,\" a spokesperson for the Port Authority said.", []sr{{"Port Authority", "spokesperson"}}},
		{"every quote of the speaker", "Harbour master Ines Varga opened the meeting.\n\n\"The quay is closed,\" Varga said.\n\n\"It opens in May,\" she added.", []sr{{"Ines Varga", "Harbour master"}, {"Ines Varga", "Harbour master"}}},
		{"the fuller role wins", "\"We wait,\" said Jon Kask, the leader of the group.\n\n\"We wait longer,\" said Senate Majority Leader Jon Kask.", []sr{{"Jon Kask", "Senate Majority Leader"}, {"Jon Kask", "Senate Majority Leader"}}},
		{"no role given", "\"It is late,\" Ines Varga said.", []sr{{"Ines Varga", ""}}},
		{"a tie to someone is no role", "Ola Brandt spoke first. His rival, Jon Kask, said it was \"too late\".", []sr{{"Jon Kask", ""}}},
		{"a party is no role", "\"Vote early,\" said Republican Jon Kask.", []sr{{"Jon Kask", ""}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Find(c.text)
			if len(got) != len(c.want) {
				t.Fatalf("%d quotes %+v, want %d", len(got), got, len(c.want))
			}
			for i, q := range got {
				if q.Speaker != c.want[i].speaker || q.Role != c.want[i].role {
					t.Errorf("quote %d %q: speaker %q role %q, want %q role %q", i, q.Text, q.Speaker, q.Role, c.want[i].speaker, c.want[i].role)
				}
			}
		})
	}
}
