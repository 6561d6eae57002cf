// Package compare sets a story's independent reports side by side: the
// same remark as each outlet worded it, what only one report carries, and
// where reports disagree. It sees plain articles and decides nothing about
// stories or copies: the caller hands it the story's originals, each with
// the outlets of the copies that carry it.
package compare

import dossier "github.com/dossiernews/dossier"

// Report is one independent report of a story: an original article, with
// its quotes, and the outlets that re-ran it as copies.
type Report struct {
	Article dossier.Article
	// CopyOutlets are the outlets of its copies, which carry what it says.
	CopyOutlets []string
}

// Compare compares the reports of one story. It is deterministic: the same
// reports in the same order give the same comparison.
func Compare(reports []Report) dossier.Comparison {
	// The story's text and its quotes' grouping serve both remarks and
	// unique sentences: made once.
	// The texts are cut into tokens and sentences once, for all three.
	ps, lx := parseReports(reports), newLexicon()
	st := storyTextOf(ps, lx)
	g := quoteGroupsOf(reports, st)
	return dossier.Comparison{
		Remarks:   g.remarks(reports),
		Unique:    unique(reports, st, g),
		Conflicts: conflicts(reports, ps, lx),
	}
}

// outlets is a report's outlet then its copies', without blanks or repeats.
func outlets(r Report) []string {
	var out []string
	seen := map[string]bool{}
	for _, o := range append([]string{r.Article.Outlet}, r.CopyOutlets...) {
		if o != "" && !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	return out
}
