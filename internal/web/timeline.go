package web

import "time"

// Timeline is a story's articles placed by publish time, one lane per
// outlet, drawn by the template as SVG: text goes through html/template,
// so a title with markup stays text.
type Timeline struct {
	Width, Height int
	Lanes         []Lane
	Dots          []Dot
	Ticks         []Tick
	Undated       int
	// AxisY is where the time axis runs.
	AxisY, Left, Right int
}

// Lane is one outlet's row.
type Lane struct {
	Label string
	Y     int
}

// Dot is one article.
type Dot struct {
	X, Y  int
	ID    string
	Title string
	When  string
	Copy  bool
}

// Tick labels the time axis.
type Tick struct {
	X     int
	Label string
	// Anchor keeps the end labels inside the picture.
	Anchor string
}

const (
	timelineWidth = 760
	laneHeight    = 28
	laneLeft      = 170
	laneRight     = 24
	maxLanes      = 24
)

func timeline(items []ArticleItem) Timeline {
	var lo, hi time.Time
	for _, a := range items {
		if a.Published == nil {
			continue
		}
		if lo.IsZero() || a.Published.Before(lo) {
			lo = *a.Published
		}
		if hi.IsZero() || a.Published.After(hi) {
			hi = *a.Published
		}
	}
	t := Timeline{Width: timelineWidth, Left: laneLeft, Right: timelineWidth - laneRight}
	lane := map[string]int{}
	for _, a := range items {
		if a.Published == nil {
			t.Undated++
			continue
		}
		name := a.Outlet
		if name == "" {
			name = "Unknown outlet"
		}
		if _, ok := lane[name]; !ok && len(t.Lanes) >= maxLanes {
			name = "Other outlets"
		}
		if _, ok := lane[name]; !ok {
			lane[name] = len(t.Lanes)
			t.Lanes = append(t.Lanes, Lane{Label: name, Y: 20 + len(t.Lanes)*laneHeight})
		}
		x := t.Left + (t.Right-t.Left)/2
		if span := hi.Sub(lo); span > 0 {
			x = t.Left + int(float64(t.Right-t.Left)*float64(a.Published.Sub(lo))/float64(span))
		}
		t.Dots = append(t.Dots, Dot{X: x, Y: t.Lanes[lane[name]].Y, ID: a.ID, Title: a.Title,
			When: a.Published.Format("2 Jan 2006 15:04 MST"), Copy: a.DuplicateOf != ""})
	}
	t.AxisY = 20 + len(t.Lanes)*laneHeight - laneHeight/2 + 4
	t.Height = t.AxisY + 30
	if len(t.Dots) > 0 {
		t.Ticks = ticks(lo, hi, t.Left, t.Right)
	}
	return t
}

// ticks labels the ends and middle of the span, in the first article's zone.
func ticks(lo, hi time.Time, left, right int) []Tick {
	span := hi.Sub(lo)
	label := func(tm time.Time) string {
		if span < 24*time.Hour && lo.YearDay() == hi.YearDay() {
			return tm.Format("15:04")
		}
		if span < 72*time.Hour {
			return tm.Format("2 Jan 15:04")
		}
		return tm.Format("2 Jan 2006")
	}
	if span == 0 {
		return []Tick{{X: (left + right) / 2, Label: label(lo), Anchor: "middle"}}
	}
	mid := lo.Add(span / 2).In(lo.Location())
	return []Tick{{X: left, Label: label(lo), Anchor: "start"}, {X: (left + right) / 2, Label: label(mid), Anchor: "middle"},
		{X: right, Label: label(hi.In(lo.Location())), Anchor: "end"}}
}
