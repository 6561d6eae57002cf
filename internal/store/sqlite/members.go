package sqlite

import (
	"context"
	"fmt"
)

// StoryFeatures returns up to limit originals of a story in ingest order
// with their clustering features.
func (s *Store) StoryFeatures(ctx context.Context, storyID string, limit int) ([]string, [][]byte, error) {
	q, err := s.reader(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("sqlite: features of story %s: %w", storyID, err)
	}
	// The repeated condition lets SQLite walk articles_story in order.
	rows, err := q.QueryContext(ctx, `SELECT id, features FROM articles
		WHERE story_id = ? AND duplicate_of = '' ORDER BY seq LIMIT ?`, storyID, max(limit, 0))
	if err != nil {
		return nil, nil, fmt.Errorf("sqlite: features of story %s: %w", storyID, err)
	}
	defer rows.Close()
	var ids []string
	var feats [][]byte
	for rows.Next() {
		var id string
		var packed []byte
		if err := rows.Scan(&id, &packed); err != nil {
			return nil, nil, fmt.Errorf("sqlite: features of story %s: %w", storyID, err)
		}
		f, err := s.pk.unpack(packed)
		if err != nil {
			return nil, nil, fmt.Errorf("sqlite: features of %s: %w", id, err)
		}
		ids = append(ids, id)
		feats = append(feats, f)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("sqlite: features of story %s: %w", storyID, err)
	}
	return ids, feats, nil
}
