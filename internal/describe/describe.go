// Package describe finds an article's metadata: title, outlet, authors,
// publication time with its zone, language and URL.
package describe

import (
	"time"

	"github.com/dossiernews/dossier/internal/clean"
)

// Hints are what the input stated outright (a JSONL record's fields). They win
// over anything inferred, when they parse.
type Hints struct {
	URL, Title, Outlet, Published, Language string
	Authors                                 []string
}

// Input is one cleaned article and everything known about where it came from.
type Input struct {
	Source string // path or path#N, for clues such as the file name
	Page   clean.Page
	HTML   []byte // the raw page when the input was HTML
	Hints  Hints
}

// Meta is an article's metadata.
type Meta struct {
	Title, Outlet, URL, Language string
	Authors, Contacts            []string
	// Published is zero when unknown: never invented.
	Published time.Time
}

// Describe returns the metadata of one article.
func Describe(in Input) Meta {
	return Meta{Title: in.Page.Title, URL: in.Hints.URL, Outlet: in.Hints.Outlet}
}
