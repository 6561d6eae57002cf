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
	// Modified is the last modification the page states, zero when none;
	// never taken for Published.
	Modified time.Time
	Language string // ISO 639-1, "" when unknown
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
	// Given is the speaker's name as this article gives it, when the
	// story-wide Speaker differs ("Brennvik" for "Tove Brennvik"); "" when
	// they are the same.
	Given string
	// Role is the speaker's title or role as the text gives it ("harbour
	// master", "Deputy Minister"), or "".
	Role string
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
	// Comparison is nil until the story has been compared.
	Comparison *Comparison
}

// SpeakerCount is a speaker of a story with how many quotes they have in it.
type SpeakerCount struct {
	Name   string
	Quotes int
}

// Comparison is what a story's independent reports say alike and apart:
// the same remark across outlets, what only one report carries, and where
// reports disagree. Offsets are bytes of the named article's Text.
type Comparison struct {
	Remarks   []Remark
	Unique    []Unique
	Conflicts []Conflict
}

// Remark is one thing a speaker said, as every report that quoted it worded
// it. A remark carried by one outlet only has one outlet.
type Remark struct {
	Speaker string
	// Text is the fullest wording of the remark.
	Text string
	// Outlets carried it, copies included.
	Outlets []string
	Quotes  []QuoteRef
}

// QuoteRef points at a quote's words in an article.
type QuoteRef struct {
	Article    string
	Start, End int
}

// Unique is a sentence carrying information no other independent report of
// the story carries.
type Unique struct {
	Article    string
	Start, End int
	// Score in 0..1: higher adds more.
	Score float64
	// Outlets are the report's outlet and those of its copies.
	Outlets []string
}

// Conflict is a detail that reports of one story state differently.
type Conflict struct {
	// About is a short label for what the values disagree on.
	About  string
	Values []ConflictValue
}

// ConflictValue is one report's value, as written, with the sentence that
// states it.
type ConflictValue struct {
	Article                    string
	Value                      string
	Start, End                 int
	SentenceStart, SentenceEnd int
}
