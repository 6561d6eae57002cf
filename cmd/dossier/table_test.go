package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/rivo/uniseg"

	"github.com/dossiernews/dossier/internal/store"
)

func TestPlural(t *testing.T) {
	tests := []struct {
		n         int
		one, many string
		want      string
	}{
		{0, "story", "stories", "0 stories"},
		{1, "story", "stories", "1 story"},
		{2, "story", "stories", "2 stories"},
		{1, "article", "articles", "1 article"},
		{12, "article", "articles", "12 articles"},
		{1, "copy", "copies", "1 copy"},
		{3, "copy", "copies", "3 copies"},
	}
	for _, tt := range tests {
		if got := plural(tt.n, tt.one, tt.many); got != tt.want {
			t.Errorf("plural(%d, %q, %q) = %q, want %q", tt.n, tt.one, tt.many, got, tt.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		s     string
		width int
		want  string
	}{
		{"Harbour Post", 24, "Harbour Post"},
		{"Harbour Post", 12, "Harbour Post"},
		{"Harbour Post", 11, "Harbour Po…"},
		{"Harbour Post", 8, "Harbour…"}, // no space before the ellipsis
		{"Écho du Val", 6, "Écho…"},
		{"Éc\u0301ho", 3, "Éc\u0301…"}, // a combining accent stays with its letter
		{"東京新聞社", 5, "東京…"},            // wide characters take two cells
		{"東京新聞社", 6, "東京…"},
	}
	for _, tt := range tests {
		got := truncate(tt.s, tt.width)
		if got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.s, tt.width, got, tt.want)
		}
		if w := uniseg.StringWidth(got); w > tt.width {
			t.Errorf("truncate(%q, %d) is %d cells wide", tt.s, tt.width, w)
		}
	}
}

// titleColumn returns the display column at which each line's last cell
// (the title) starts, found by its text.
func titleColumns(t *testing.T, out string, titles []string) []int {
	t.Helper()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != len(titles) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(titles), out)
	}
	var cols []int
	for i, line := range lines {
		at := strings.LastIndex(line, titles[i])
		if at < 0 {
			t.Fatalf("line %d lacks %q: %q", i, titles[i], line)
		}
		cols = append(cols, uniseg.StringWidth(line[:at]))
	}
	return cols
}

func TestStoriesTableAligned(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2024, 5, d, 9, 0, 0, 0, time.UTC) }
	stories := []store.StorySummary{
		{ID: "s0123456789abcdef", Title: "Ferry timetable cut for the winter", Articles: 12,
			Outlets: []string{"Quayside Weekly"}, FirstPublished: day(1), LastPublished: day(3)},
		{ID: "s1123456789abcdef", Title: "Undated notice", Articles: 1},
		{ID: "s2123456789abcdef", Title: "Choir wins regional prize", Articles: 3,
			Outlets:        []string{"L'Écho des Collines du Nord et du Sud", "The Very Long Name Evening Standard Gazette"},
			FirstPublished: day(2), LastPublished: day(2)},
		{ID: "s3123456789abcdef", Title: "Wide outlet", Articles: 2,
			Outlets: []string{"北海道新聞社会部"}, FirstPublished: day(4), LastPublished: day(9)},
	}
	var b bytes.Buffer
	printStories(&b, 0, "dossier", stories)
	out := b.String()
	titles := []string{"TITLE"}
	for _, s := range stories {
		titles = append(titles, s.Title)
	}
	cols := titleColumns(t, out, titles)
	for i, c := range cols {
		if c != cols[0] {
			t.Errorf("line %d's title starts at column %d, the header's at %d:\n%s", i, c, cols[0], out)
		}
	}
	for _, want := range []string{
		"\ns01234567        12  2024-05-01 – 2024-05-03  Quayside Weekly                  Ferry",
		"\ns11234567         1  —                        —                                Undated",
		"\ns21234567         3  2024-05-02               L'Écho des Collines du Nord et…  Choir",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "0123456789abcdef") {
		t.Errorf("the table prints whole IDs, not short ones:\n%s", out)
	}
}

func TestStoriesEmpty(t *testing.T) {
	var b bytes.Buffer
	printStories(&b, 0, "go run ./cmd/dossier", nil)
	if want := "no stories yet: go run ./cmd/dossier ingest PATH...\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

func TestWriteTableRightAlign(t *testing.T) {
	var b bytes.Buffer
	writeTable(&b, 0, "  ", []column{{right: true}, {max: 5}, {}},
		[][]string{{"7", "short", "x"}, {"1234", "longer one", "y"}, {"56", "", ""}})
	want := "     7  short  x\n" +
		"  1234  long…  y\n" +
		"    56\n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
}

func TestWhen(t *testing.T) {
	zone := time.FixedZone("", 2*3600)
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Time{}, "—"},
		{time.Date(2024, 3, 1, 7, 5, 0, 0, zone), "2024-03-01 07:05 +02:00"},
	}
	for _, tt := range tests {
		if got := when(tt.t); got != tt.want {
			t.Errorf("when(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
	if got := dateRange(time.Time{}, time.Time{}); got != "—" {
		t.Errorf("dateRange of unknown dates = %q", got)
	}
}

// TestWriteTableFitsTerminal: on a terminal the columns that may give way
// shrink, the one that gives first down to its least, until the table
// fits; the others never do.
func TestWriteTableFitsTerminal(t *testing.T) {
	rows := [][]string{
		{"ID", "OUTLET", "TITLE"},
		{"s01234567", "The Quayside Weekly Courier", "Ferry timetable cut for the winter months ahead"},
		{"s11234567", "—", "Undated"},
	}
	cols := []column{{}, {min: 8, give: 1}, {min: 10}}
	tests := []struct {
		width int
		want  string
	}{
		{0, "ID         OUTLET                       TITLE\n" +
			"s01234567  The Quayside Weekly Courier  Ferry timetable cut for the winter months ahead\n" +
			"s11234567  —                            Undated\n"},
		{60, "ID         OUTLET    TITLE\n" +
			"s01234567  The Qua…  Ferry timetable cut for the winter mon…\n" +
			"s11234567  —         Undated\n"},
		{40, "ID         OUTLET    TITLE\n" +
			"s01234567  The Qua…  Ferry timetable cu…\n" +
			"s11234567  —         Undated\n"},
		{20, "ID         OUTLET    TITLE\n" + // as narrow as allowed, no narrower
			"s01234567  The Qua…  Ferry tim…\n" +
			"s11234567  —         Undated\n"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		writeTable(&b, tt.width, "", cols, rows)
		if b.String() != tt.want {
			t.Errorf("width %d:\n%s\nwant:\n%s", tt.width, b.String(), tt.want)
		}
	}
}
