package cluster

// Remove is a placeholder until the clusterer learns removal (being built).
func (c *Clusterer) Remove(articleID, storyID string, f Features) {}
