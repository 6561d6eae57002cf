package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestWorkUsage: the queue is PostgreSQL's; asking for it on SQLite, or
// for nothing to do, is a usage error (status 2) saying so.
func TestWorkUsage(t *testing.T) {
	lite := filepath.Join(t.TempDir(), "dossier.db")
	pg := "postgres://nobody@127.0.0.1:1/none"
	tests := []struct {
		name string
		db   string
		args []string
		want string
	}{
		{"ingest --queue on SQLite", lite, []string{"ingest", "--queue", "in.txt"}, "--queue needs a PostgreSQL store"},
		{"work on SQLite", lite, []string{"work", "--until-empty"}, "work needs a PostgreSQL store"},
		{"nothing to do", pg, []string{"work", "--apply-only", "--no-apply"}, "leave nothing to do"},
		{"no lease", pg, []string{"work", "--lease", "0s"}, "--lease positive"},
		{"negative workers", pg, []string{"work", "--workers", "-1"}, "--workers must be 0 or more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, tt.db, tt.args...)
			if code != 2 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, tt.want)
			}
		})
	}
}
