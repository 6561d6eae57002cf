// Package dossier holds the domain values that flow through the pipeline:
// source → clean → describe → dedup → cluster → quote → store → serve.
// Stages pass these plain values forward; none of them reaches into another.
package dossier

import "time"

// Article is one news article after the whole pipeline has seen it.
type Article struct {
	// ID is stable for the same input: derived from the article's URL when
	// known, else from its source path, so re-ingesting is a no-op.
	ID string
	// Source is where the article came from as given: a path, "path#N" for
	// line N of a JSONL file, or "-" for standard input.
	Source string
	URL    string
	Outlet string
	Title  string
	// Authors are people, in normal case. An agency is the Outlet, never an author.
	Authors []string
	// Contacts are addresses found in bylines (e-mail), kept apart from names.
	Contacts []string
	// Published is the zero time when the publication time is unknown; it is
	// never invented. Its Location carries the offset when one was stated.
	Published time.Time
	Language  string // ISO 639-1, "" when unknown
	// Text is the clean body: paragraphs separated by one blank line.
	Text string
	// Captions are image captions and photo credits moved out of the body.
	Captions []string
	// Fingerprint is the hash of the normalised text, for exact duplicates.
	Fingerprint string
	// DuplicateOf is the ID of the canonical article this one copies, or "".
	DuplicateOf string
	// Similarity is the estimated resemblance to DuplicateOf (1 for exact copies).
	Similarity float64
	StoryID    string
	Quotes     []Quote
	IngestedAt time.Time
}

// Quote is a direct quotation inside an Article's Text.
type Quote struct {
	// Text is the words inside the quote marks.
	Text string
	// Speaker is the canonical name of who said it ("" when unknown): a person's
	// full name as first introduced, or an organisation.
	Speaker string
	// Start and End are byte offsets of Text within the article's Text.
	Start, End int
	// Cue is the attribution verb or phrase ("said", "he added"), when found.
	Cue string
	// Partial is true for a quoted fragment inside a sentence of the writer's.
	Partial bool
}

// Story is a group of articles about one real-world event.
type Story struct {
	ID             string
	Title          string
	Articles       []string // article IDs, duplicates included
	Outlets        []string
	FirstPublished time.Time // zero when no article has a date
	LastPublished  time.Time
	Speakers       []SpeakerCount
}

// SpeakerCount is a speaker of a story with how many quotes they have in it.
type SpeakerCount struct {
	Name   string
	Quotes int
}
