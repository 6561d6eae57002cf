package cluster

// Merge says that every member of story From now belongs to story Into.
type Merge struct{ From, Into string }

// TakeMerges returns the merges decided since the last call.
func (c *Clusterer) TakeMerges() []Merge { return nil }
