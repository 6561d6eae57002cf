package clean

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
)

// Template is an outlet's furniture: lines printed on its pages about
// different stories (menus, footers, legal lines). A paragraph that recurs
// only within one story (a running story's background) is not furniture.
// It is learned from the outlet's stored pages, so it depends on those
// pages alone, not on the order or the number of workers that saw them.
type Template struct {
	Lines   []string // sorted
	Version string   // changes when Lines do: pages cleaned with another version are stale
	set     map[string]bool
}

// TemplatePage is one stored page of an outlet: the story it belongs to
// and its text as it was ingested.
type TemplatePage struct {
	Story string
	Text  string
}

// Template thresholds: a line is furniture when it is on pages of at
// least templateMinStories stories and of templateShare of the outlet's
// stories; a long line (over templateLongWords) needs templateLongShare,
// as a stock paragraph about the outlet's subject may recur more widely.
const (
	templateMinStories = 3
	templateShare      = 0.3
	templateLongWords  = 25
	templateLongShare  = 0.6
	templateMaxWords   = 60
)

// LearnTemplate finds the furniture of one outlet's pages.
func LearnTemplate(pages []TemplatePage) Template {
	stories := map[string]map[string]bool{} // line -> stories it is on
	all := map[string]bool{}
	for _, pg := range pages {
		all[pg.Story] = true
		for _, l := range splitLines(pg.Text) {
			if len(strings.Fields(l)) > templateMaxWords {
				continue
			}
			if stories[l] == nil {
				stories[l] = map[string]bool{}
			}
			stories[l][pg.Story] = true
		}
	}
	var lines []string
	for l, on := range stories {
		share := float64(len(on)) / float64(len(all))
		need := templateShare
		if len(strings.Fields(l)) > templateLongWords {
			need = templateLongShare
		}
		if len(on) >= templateMinStories && share >= need {
			lines = append(lines, l)
		}
	}
	slices.Sort(lines)
	return newTemplate(lines)
}

// newTemplate makes a template of sorted lines, as a store gives them back.
func newTemplate(lines []string) Template {
	h := sha256.New()
	set := make(map[string]bool, len(lines))
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
		set[l] = true
	}
	return Template{Lines: lines, Version: hex.EncodeToString(h.Sum(nil)[:8]), set: set}
}

// LoadTemplate rebuilds a stored template from its lines.
func LoadTemplate(lines []string) Template {
	norm := make([]string, 0, len(lines))
	for _, l := range lines {
		if l = normLine(l); l != "" {
			norm = append(norm, l)
		}
	}
	slices.Sort(norm)
	return newTemplate(slices.Compact(norm))
}

func (t *Template) has(l string) bool {
	return t != nil && t.set[l]
}

// Furniture reports whether a paragraph of a clean text is one of the
// template's lines, compared as the classifier compares lines.
func (t *Template) Furniture(paragraph string) bool {
	return t.has(normLine(paragraph))
}

// ParagraphPage is a TemplatePage of a clean text's paragraphs, each one
// line, so that a template learned from it holds whole paragraphs.
func ParagraphPage(story string, paragraphs []string) TemplatePage {
	lines := make([]string, 0, len(paragraphs))
	for _, p := range paragraphs {
		lines = append(lines, normLine(p))
	}
	return TemplatePage{Story: story, Text: strings.Join(lines, "\n")}
}
