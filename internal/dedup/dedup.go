// Package dedup finds exact and near-duplicate copies: a normalised text hash
// for exact copies, MinHash signatures with LSH banding for near ones.
package dedup

// Config tunes near-duplicate detection.
type Config struct {
	// Threshold is the estimated Jaccard resemblance of word shingles at and
	// above which two articles are copies.
	Threshold float64
}

// DefaultConfig is tuned on syndicated copies.
func DefaultConfig() Config { return Config{Threshold: 0.5} }

// Signature is a MinHash signature of an article's text.
type Signature []uint32

// Fingerprint returns a hash of the normalised text: equal for exact copies.
func Fingerprint(text string) string { return text }

// Sign returns the MinHash signature of text.
func (c Config) Sign(text string) Signature { return nil }

// Marshal encodes a signature for storage.
func (s Signature) Marshal() []byte { return nil }

// UnmarshalSignature decodes what Marshal wrote.
func UnmarshalSignature(b []byte) (Signature, error) { return nil, nil }

// Index finds near-duplicates among the canonical articles added to it.
type Index struct{ cfg Config }

// NewIndex returns an empty index.
func NewIndex(cfg Config) *Index { return &Index{cfg: cfg} }

// Add records a canonical article.
func (ix *Index) Add(id string, sig Signature) {}

// Match returns the canonical article sig copies, if any, with the estimated similarity.
func (ix *Index) Match(sig Signature) (id string, similarity float64, ok bool) { return "", 0, false }
