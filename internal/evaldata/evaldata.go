// Package evaldata locates the evaluation data kept beside the repository in
// ../shared (seeds and public benchmarks). It is for tests only: the data is
// never copied into the project.
package evaldata

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the absolute path of ../shared/<rel> next to the repository
// root, or skips the test when it is absent (CI always has it).
func Dir(tb testing.TB, rel string) string {
	tb.Helper()
	root, err := repoRoot()
	if err != nil {
		tb.Skipf("evaldata: %v", err)
	}
	dir := filepath.Join(filepath.Dir(root), "shared", rel)
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("evaldata: %s is absent: %v", dir, err)
	}
	return dir
}

// repoRoot walks up from the working directory to the folder holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
