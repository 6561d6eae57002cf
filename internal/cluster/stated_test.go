package cluster

import (
	"reflect"
	"testing"
	"time"
)

func day(y int, m time.Month, d int) Period { return dayPeriod(y, m, d) }

func month(y int, m time.Month) Period {
	return Period{time.Date(y, m, 1, 0, 0, 0, 0, time.UTC), time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC)}
}

func year(y int) Period {
	return Period{time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func TestStatedPeriods(t *testing.T) {
	pub := time.Date(2024, 5, 20, 15, 0, 0, 0, time.UTC)
	tests := []struct {
		name, text string
		want       []Period
	}{
		{"a year", "The mill burned down in 2019 and was never rebuilt.", []Period{year(2019)}},
		{"month and year", "Work stopped in September 2021, the council said.", []Period{month(2021, 9)}},
		{"day month year", "The vote of 3 May 2022 was annulled.", []Period{day(2022, 5, 3)}},
		{"month day year", "On May 3rd, 2022, the vote was held.", []Period{day(2022, 5, 3)}},
		{"month and day, this year", "The ferry sank on March 3 off the cape.", []Period{day(2024, 3, 3)}},
		{"month and day, last year", "The strike began on 14 December.", []Period{day(2023, 12, 14)}},
		{"month and day too far back", "The strike began on 14 July.", nil},
		{"a month alone", "The strike began in March.", nil},
		{"the current year", "In 2024 the town grew.", nil},
		{"a later year", "The bridge opens in 2026.", nil},
		{"yesterday", "The vote of 19 May 2024 was close.", nil},
		{"a number, not a year", "Some 1200 people came, and 31 stayed.", nil},
		{"no such day", "It was due on 31 February 2022.", nil},
		{"a lower-case month", "It may 3 times be late.", nil},
		{"repeated", "The 2019 fire, the fire of 2019.", []Period{year(2019)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := statedPeriods(pub, tokenize(tc.text))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("statedPeriods(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
	var many string
	for y := 1990; y < 2010; y++ {
		many += " in " + time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006")
	}
	if got := statedPeriods(pub, tokenize(many)); len(got) != maxStated || got[0] != year(2010-maxStated) {
		t.Errorf("twenty years: %v, want the latest %d", got, maxStated)
	}
}

// TestStatedBridgesTime: a follow-up a year on that names the event's year
// joins the event's story; without the year, the gap keeps it apart, and
// the story's members naming the later article's year bridge it the other
// way.
func TestStatedBridgesTime(t *testing.T) {
	event := time.Date(2021, 3, 2, 9, 0, 0, 0, time.UTC)
	later := event.AddDate(1, 2, 0)
	first := "Fire crews from three towns fought a blaze at the Korvald paper mill near Lisk on Tuesday. The mill owner Petra Anand said the plant would stay closed. Two workers were treated for smoke."
	// Close enough to join at the same time (cosine about 0.39), not a
	// year apart (times DecayFloor).
	follow := "The Korvald paper mill near Lisk reopened after a year of rebuilding, with new presses, a larger warehouse and forty new jobs, owner Petra Anand told a crowd of local officials and families on Monday. The regional bank lent most of the money, and the union agreed a wage deal for the returning staff."
	tests := []struct {
		name        string
		first, then string
		join        bool
	}{
		{"no stated year", first, follow, false},
		{"the follow-up names the year", first, follow + " The mill burned in 2021.", true},
		{"the follow-up names the day", first, follow + " The mill burned on March 2, 2021.", true},
		{"another year", first, follow + " The mill burned in 2018.", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := New(DefaultConfig())
			a := c.Assign("a", Extract("Blaze at Korvald mill", tc.first, "en", event))
			b := c.Assign("b", Extract("Korvald mill reopens", tc.then, "en", later))
			if (a == b) != tc.join {
				t.Errorf("joined %v, want %v", a == b, tc.join)
			}
			// Reversed, the story holds the follow-up's stated period.
			c = New(DefaultConfig())
			b = c.Assign("b", Extract("Korvald mill reopens", tc.then, "en", later))
			a = c.Assign("a", Extract("Blaze at Korvald mill", tc.first, "en", event))
			if (a == b) != tc.join {
				t.Errorf("reversed: joined %v, want %v", a == b, tc.join)
			}
		})
	}
}
