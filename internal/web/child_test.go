//go:build unix

package web

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestChildIngest runs a stand-in for dossier ingest --json: the summary
// it prints is the run's, exit status 3 (some inputs failed) is a
// summary too, and any other failure is an error that says what the
// child said.
func TestChildIngest(t *testing.T) {
	upload := filepath.Join(t.TempDir(), "upload.jsonl")
	if err := os.WriteFile(upload, []byte("{\"text\":\"one\"}\n{\"text\":\"two\"}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// The stand-in counts its standard input's lines and echoes the
	// store it was given through the environment.
	const count = `n=$(wc -l | tr -d ' '); `
	for _, tc := range []struct {
		name, script string
		read, failed int
		problem      string // the problem's error text
		err          string // in the error, "" for none
	}{
		{"stored", count + `echo "{\"read\":$n,\"new\":$n,\"problems\":[]}"`, 2, 0, "", ""},
		{"some failed", count + `echo "{\"read\":$n,\"failed\":1,\"problems\":[{\"source\":\"-#2\",\"error\":\"$DOSSIER_DB: no text\"}]}"; exit 3`, 2, 1, "/tmp/x.db: no text", ""},
		{"crashed", `echo 'store is locked' >&2; exit 1`, 0, 0, "", "store is locked"},
		{"no summary", `echo 'not json'`, 0, 0, "", "read the summary"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := ChildIngest("/bin/sh", []string{"DOSSIER_DB=/tmp/x.db"}, "-c", tc.script)
			sum, err := run(context.Background(), upload)
			switch {
			case tc.err != "":
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			if sum.Read != tc.read || sum.Failed != tc.failed {
				t.Errorf("summary %+v, want read %d failed %d", sum, tc.read, tc.failed)
			}
			if tc.problem != "" && (len(sum.Problems) != 1 || sum.Problems[0].Err.Error() != tc.problem) {
				t.Errorf("problems %+v, want one %q", sum.Problems, tc.problem)
			}
		})
	}
}
