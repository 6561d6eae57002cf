package sqlite

import (
	"context"
	"errors"

	"github.com/dossiernews/dossier/internal/store"
)

// Placeholders until the backend implements them (being built).

var errStub = errors.New("sqlite: not implemented yet")

func (s *Store) Lock(ctx context.Context, who string, wait func(store.Holder)) (func() error, error) {
	return func() error { return nil }, nil
}
func (s *Store) Resolve(ctx context.Context, kind store.Kind, ref string) (string, error) {
	return ref, nil
}
func (s *Store) Alias(ctx context.Context, kind store.Kind, old, id string) error { return nil }
func (s *Store) Saved(ctx context.Context, id string) (store.Saved, bool, error) {
	var sv store.Saved
	err := s.r.QueryRowContext(ctx, `SELECT id, COALESCE(story_id, ''), duplicate_of, signature, features FROM articles WHERE id = ?`, id).
		Scan(&sv.ID, &sv.StoryID, &sv.DuplicateOf, &sv.Signature, &sv.Features)
	if err != nil {
		return sv, false, nil
	}
	return sv, true, nil
}
func (s *Store) Copies(ctx context.Context, id string) ([]string, error) { return nil, nil }
func (s *Store) Seen(ctx context.Context, key, digest string) (string, bool, error) {
	return "", false, nil
}
func (s *Store) Remove(ctx context.Context, id, reason string) error { return errStub }
func (s *Store) Moves(ctx context.Context, storyID string) ([]store.Move, error) {
	return nil, errStub
}
