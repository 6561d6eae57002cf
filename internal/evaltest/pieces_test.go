package evaltest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/dossiernews/dossier/internal/evaldata"
)

// TestRunsInPiecesEqualOneRun: a stream ingested a piece at a time, each
// run a new process's worth of state, gives the export one run over the
// whole stream gives, byte for byte. Dated and undated real streams.
func TestRunsInPiecesEqualOneRun(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests two dev streams twice")
	}
	for _, set := range []string{"eval/allsides-dev/stream.jsonl", "eval/ecbplus-dev/stream.jsonl"} {
		t.Run(filepath.Base(filepath.Dir(set)), func(t *testing.T) {
			pieces := splitLines(t, filepath.Join(evaldata.Dir(t, filepath.Dir(set)), filepath.Base(set)), 3)
			st := openSQLite(t, filepath.Join(t.TempDir(), "pieces.db"))
			for i := range pieces {
				ingestAt(t, st, 0, pieces[:i+1]...)
			}
			whole := openSQLite(t, filepath.Join(t.TempDir(), "whole.db"))
			ingestAt(t, whole, 0, pieces...)
			got, want := exportFiles(t, st), exportFiles(t, whole)
			for name, b := range want {
				if !bytes.Equal(got[name], b) {
					t.Errorf("%s differs from one run's (%d vs %d bytes) at byte %d", name, len(got[name]), len(b), firstDiff(got[name], b))
				}
			}
		})
	}
}

// splitLines writes the lines of a JSONL file into n files of about equal
// size, in order, and returns their paths.
func splitLines(t *testing.T, path string, n int) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		lines = append(lines, append([]byte(nil), sc.Bytes()...))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var paths []string
	for i := range n {
		var b bytes.Buffer
		for _, l := range lines[i*len(lines)/n : (i+1)*len(lines)/n] {
			b.Write(l)
			b.WriteByte('\n')
		}
		p := filepath.Join(dir, fmt.Sprintf("piece-%d.jsonl", i))
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}
