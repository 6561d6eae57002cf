package dedup

// Remove is a placeholder until the index learns removal (being built).
func (ix *Index) Remove(id string) {}
