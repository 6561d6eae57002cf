// Package dedup finds exact and near-duplicate copies: a normalised text hash
// for exact copies, MinHash signatures with LSH banding for near ones.
//
// A near copy is recognised two ways. Resemblance (the Jaccard index of the
// two articles' word-shingle sets, title included) catches copies that were
// re-spaced, lightly edited or given a new dateline. Containment (the share
// of the shorter text's shingles found in the longer) catches copies cut
// short, which keep the top of the story and so have low resemblance.
// Independent reports of the same event share names, facts and quotes, and
// a short brief can sit inside a long feature, so the containment rule is
// guarded: the top of the shorter text (its lead) must be found at the top
// of the other, one paragraph it added aside; its paragraphs must appear
// whole at about the same place; and a text cut far shorter than the other
// must carry the same headline (mastheads, datelines and bylines aside).
// Top paragraphs are index keys as well as LSH bands, so that a copy cut to
// a paragraph or two is found at all.
package dedup

import (
	"crypto/sha256"
	"encoding/hex"
)

// Config tunes near-duplicate detection.
type Config struct {
	// Threshold is the estimated Jaccard resemblance of word shingles at and
	// above which two articles are copies.
	Threshold float64
	// Containment is the estimated share of the shorter text's shingles found
	// in the longer at and above which it is a copy cut short; 0 disables it.
	Containment float64
	// MinShingles is the fewest shingles the shorter text needs before the
	// containment rule applies: short texts are contained by chance.
	MinShingles int
	// MinRatio is the least size ratio (shorter/longer shingle sets) for the
	// containment rule: a brief inside a long feature is not a copy of it.
	MinRatio float64
	// Paragraphs is the least share of the shorter text's long paragraphs
	// that must appear whole in the other for the containment rule: copies
	// keep paragraphs intact, independent reports share phrases and facts.
	Paragraphs float64
	// Lead is the least share of the shorter text's lead (its first
	// shingles, title included) found in the other's lead for the
	// containment rule: a copy cut short keeps the top of the story, an
	// independent report that shares passages opens its own way.
	Lead float64
	// TitledRatio is the size ratio below which the containment rule also
	// wants the two titles to agree: a short text that opens like a long
	// one under its own headline is a brief written from it, one under the
	// same headline is the story cut short.
	TitledRatio float64
	// ShingleSize is the number of words in a shingle; 0 means the default.
	ShingleSize int
	// Hashes is the number of MinHash values in a signature (4..1024); 0
	// means the default.
	Hashes int
}

// Defaults measured on the dedup-dev benchmark (see dedup_eval_test.go).
const (
	defaultShingle = 5
	defaultHashes  = 128
	maxHashes      = 1024
	maxShingle     = 16
)

// DefaultConfig is tuned on syndicated copies.
func DefaultConfig() Config {
	return Config{
		Threshold:   0.6,
		Containment: 0.7,
		MinShingles: 5,
		MinRatio:    0.1,
		Paragraphs:  0.5,
		Lead:        0.5,
		TitledRatio: 0.5,
		ShingleSize: defaultShingle,
		Hashes:      defaultHashes,
	}
}

// normalized fills in zero fields and clamps the rest to working ranges, so
// any Config value is usable.
func (c Config) normalized() Config {
	if c.ShingleSize <= 0 {
		c.ShingleSize = defaultShingle
	}
	if c.ShingleSize > maxShingle {
		c.ShingleSize = maxShingle
	}
	if c.Hashes <= 0 {
		c.Hashes = defaultHashes
	}
	if c.Hashes < 4 {
		c.Hashes = 4
	}
	if c.Hashes > maxHashes {
		c.Hashes = maxHashes
	}
	return c
}

// Fingerprint returns a hash of the normalised text: equal for exact copies.
// Case, punctuation, spacing and Unicode quote, dash and width variants do
// not change it. It is 32 hex digits (128 bits of SHA-256).
func Fingerprint(text string) string {
	h := sha256.New()
	var buf []byte
	first := true
	eachParagraph(text, func(words []string) {
		for _, w := range words {
			if !first {
				buf = append(buf, ' ')
			}
			first = false
			buf = append(buf, w...)
		}
		// Flush per paragraph to keep the buffer small on long texts.
		h.Write(buf)
		buf = buf[:0]
	})
	sum := h.Sum(nil)
	return hex.EncodeToString(sum[:16])
}
