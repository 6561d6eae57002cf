//go:build unix

package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestServeWithCLIIngest runs the server and a CLI ingest on one store at
// once: the server's ingests wait for the CLI's writer lock and the other
// way round, no article is lost, and SIGTERM stops the server cleanly.
func TestServeWithCLIIngest(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "d.db")
	srv := start(t, nil, "serve", "--db", db, "--addr", "127.0.0.1:0")
	base := serverURL(t, srv)
	token, err := os.ReadFile(db + ".token")
	if err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(db + ".token"); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %v (%v)", info.Mode().Perm(), err)
	}
	const posts = 8
	var wg sync.WaitGroup
	errs := make(chan error, posts)
	cli := start(t, nil, "ingest", "--db", db, "../../examples")
	for i := range posts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf(`{"url":"https://pier.example/notice-%d","outlet":"Pier Notices","published":"2024-03-0%dT10:00:00Z","text":"Pier notice %d\n\nThe pier will close at dusk on day %d for lamp repairs, the harbour office said."}`, i, i+1, i, i)
			req, _ := http.NewRequest("POST", base+"/api/v1/articles", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				errs <- err
				return
			}
			defer resp.Body.Close()
			var out struct {
				Results []struct{ Status, Error string }
			}
			if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 || len(out.Results) != 1 || out.Results[0].Status != "new" {
				errs <- fmt.Errorf("post %d: status %d, %+v, %v", i, resp.StatusCode, out.Results, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if code := cli.wait(t); code != 3 { // the examples hold one corrupt file on purpose
		t.Errorf("CLI ingest: exit %d:\n%s", code, cli.errText())
	}
	m := summaryLine.FindStringSubmatch(cli.stdout.String())
	if m == nil {
		t.Fatalf("no summary from the CLI ingest: %s", cli.stdout.String())
	}
	stored, _ := strconv.Atoi(m[2])
	resp, err := http.Get(base + "/api/v1/stories?limit=1000")
	if err != nil {
		t.Fatal(err)
	}
	var list struct{ Stories []struct{ Articles int } }
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	total := 0
	for _, s := range list.Stories {
		total += s.Articles
	}
	if want := stored + posts; total != want {
		t.Errorf("%d articles in the stories, want %d", total, want)
	}
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := srv.wait(t); code != 0 {
		t.Errorf("server: exit %d after SIGTERM:\n%s", code, srv.errText())
	}
	if !strings.Contains(srv.stdout.String(), "stopped") {
		t.Errorf("server stdout: %s", srv.stdout.String())
	}
	// The same inputs again change nothing: what one run would give.
	if code, out, _ := runCLI(t, db, "ingest", "--db", db, "../../examples"); code != 3 || !strings.Contains(out, fmt.Sprintf("new 0, updated 0, unchanged %d,", stored)) {
		t.Errorf("again: exit %d: %s", code, out)
	}
}

// TestServeWatches polls the store's sources beside the server: what the
// feed lists shows up in the API without a CLI run, and SIGTERM stops both.
func TestServeWatches(t *testing.T) {
	site := webSite(t)
	db := filepath.Join(t.TempDir(), "d.db")
	if code, out, errOut := runCLI(t, db, "sources", "add", site.URL+"/feed.xml"); code != 0 {
		t.Fatalf("sources add: exit %d\n%s%s", code, out, errOut)
	}
	srv := start(t, nil, "serve", "--db", db, "--addr", "127.0.0.1:0", "--watch", "1h", "--allow-private", "--rate", "100")
	base := serverURL(t, srv)
	deadline := time.Now().Add(hangGuard)
	total := 0
	for total < 2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		resp, err := http.Get(base + "/api/v1/stories?limit=100")
		if err != nil {
			t.Fatal(err)
		}
		var list struct{ Stories []struct{ Articles int } }
		err = json.NewDecoder(resp.Body).Decode(&list)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		total = 0
		for _, s := range list.Stories {
			total += s.Articles
		}
	}
	if total != 2 {
		t.Fatalf("%d articles from the feed, want 2:\n%s", total, srv.errText())
	}
	// The poll is recorded with the source once its pages are stored.
	for time.Now().Before(deadline) {
		if _, out, _ := runCLI(t, db, "sources", "list"); strings.Contains(out, " ok ") {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, out, _ := runCLI(t, db, "sources", "list"); !strings.Contains(out, " ok        2") {
		t.Errorf("sources list after the server's poll:\n%s", out)
	}
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := srv.wait(t); code != 0 {
		t.Errorf("server: exit %d after SIGTERM:\n%s", code, srv.errText())
	}
	if out := srv.stdout.String(); !strings.Contains(out, "stopped") {
		t.Errorf("server stdout: %s", out)
	}
}

// serverURL waits for the server's start line and returns its base URL.
func serverURL(t *testing.T, srv *proc) string {
	t.Helper()
	timeout := time.After(hangGuard)
	for {
		select {
		case line := <-srv.lines:
			if _, rest, ok := strings.Cut(line, "url="); ok && strings.Contains(line, "msg=serving") {
				base, _, _ := strings.Cut(rest, " ")
				return strings.TrimSuffix(base, "/")
			}
		case <-timeout:
			t.Fatalf("the server did not start:\n%s", srv.errText())
		}
	}
}
