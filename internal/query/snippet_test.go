package query

import (
	"reflect"
	"strings"
	"testing"
)

// marked shows a snippet with its marks in brackets, for readable wants.
func marked(s string, marks [][2]int) string {
	var sb strings.Builder
	at := 0
	for _, m := range marks {
		sb.WriteString(s[at:m[0]])
		sb.WriteString("[" + s[m[0]:m[1]] + "]")
		at = m[1]
	}
	sb.WriteString(s[at:])
	return sb.String()
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("Gulls circled the breakwater all morning. ", 3) +
		"Engineers at the lock said the gates of the western basin would stay shut while divers checked the hinges, " +
		"a job they expect to last until the spring tides have passed and the silt has settled on the bottom again."
	for _, tc := range []struct {
		name, text, q, want string
	}{
		{"best sentence", "The market opened late. Ferry crews met the harbour board. The board agreed a new ferry timetable.",
			"ferry timetable", "The market opened late. [Ferry] crews met the harbour board. The board agreed a new [ferry] [timetable]."},
		{"phrase and prefix", "Night ferries run twice. A night ferry was late.",
			`"night ferr"*`, "[Night ferries] run twice. A [night ferry] was late."},
		{"no match gives the opening", "Calm seas today. Nothing else.", "storm", "Calm seas today. Nothing else."},
		{"filters only", "Calm seas today.", "outlet:x", "Calm seas today."},
		{"excluded terms mark nothing", "Calm seas today.", "-calm seas", "Calm [seas] today."},
		{"line breaks become spaces", "First paragraph.\n\nSecond about tides.", "tides", "First paragraph.  Second about [tides]."},
		{"long sentence is cut round the match", long, "divers",
			"…gates of the western basin would stay shut while [divers] checked the hinges, a job they expect to last until the spring tides have passed and the silt has settled on the bottom again."},
		{"CJK", "港の水位が上がった。市は警報を出した。", "警報", "港の水位が上がった。市は[警報]を出した。"},
		{"empty", "", "x", ""},
		{"cut at both ends", strings.Repeat("word ", 30) + "target " + strings.Repeat("more ", 60) + "end.", "target",
			"…word word word word word word word word word [target] more more more more more more more more more more more more more more more more more more more more more more more more more more more more…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, marks := Snippet(tc.text, Parse(tc.q))
			if got := marked(s, marks); got != tc.want {
				t.Errorf("Snippet = %q, want %q", got, tc.want)
			}
			if len(s) > SnippetSize+2*len(ellipsis)+1 && len(tc.text) > 0 {
				t.Errorf("snippet of %d bytes", len(s))
			}
		})
	}
}

func TestMarks(t *testing.T) {
	got := Marks("Ferry, ferry and FERRYMAN", Parse("ferry* -man"))
	want := [][2]int{{0, 5}, {7, 12}, {17, 25}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Marks = %v, want %v", got, want)
	}
	if got := Marks("anything", Parse("speaker:x")); got != nil {
		t.Errorf("Marks of a filter = %v, want none", got)
	}
}

func FuzzSnippet(f *testing.F) {
	f.Add("A ferry. Another ferry!", "ferr*")
	f.Add("港の水位\n\nが上がった。", "水位")
	f.Fuzz(func(t *testing.T, text, q string) {
		s, marks := Snippet(text, Parse(q))
		at := 0
		for _, m := range marks {
			if m[0] < at || m[1] <= m[0] || m[1] > len(s) {
				t.Fatalf("Snippet(%q, %q) = %q with bad marks %v", text, q, s, marks)
			}
			at = m[1]
		}
	})
}
