package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestTemplatesCommand: after an ingest of an outlet's pages of several
// stories, templates lists its furniture, prints its lines, says so as
// JSON, and the article view shows what left the text and when.
func TestTemplatesCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	const pages = "../../internal/ingest/testdata/templates/courier.jsonl"
	const footer = "The Gullhaven Courier is printed in Gullhaven and delivered along the northern coast each morning."
	if code, out, errOut := runCLI(t, db, "ingest", pages); code != 0 {
		t.Fatalf("ingest: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := runCLI(t, db, "templates")
	if code != 0 || !regexp.MustCompile(`(?m)^Gullhaven Courier +2 +[0-9a-f]{16} +\d{4}-\d\d-\d\d \d\d:\d\d [+-]\d\d:\d\d +11$`).MatchString(out) {
		t.Fatalf("templates: exit %d\n%s%s", code, out, errOut)
	}
	if strings.Contains(out, "Tarn Valley Post") {
		t.Errorf("an outlet of one page has no template:\n%s", out)
	}
	code, out, errOut = runCLI(t, db, "templates", "Gullhaven Courier")
	if code != 0 || !strings.Contains(out, footer+"\n") || strings.Count(out, "\n") != 2 {
		t.Errorf("templates OUTLET: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, db, "templates", "--json")
	var got struct {
		Templates []struct {
			Outlet string
			Lines  []string
			Pages  int
		}
	}
	if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil || len(got.Templates) != 1 ||
		got.Templates[0].Outlet != "Gullhaven Courier" || len(got.Templates[0].Lines) != 2 || got.Templates[0].Pages != 11 {
		t.Errorf("templates --json: exit %d, %v\n%s%s", code, err, out, errOut)
	}
	if code, _, _ := runCLI(t, db, "templates", "Nowhere Gazette"); code == 0 {
		t.Error("templates of an outlet without one succeeded")
	}

	_, list, _ := runCLI(t, db, "search", "outlet:Gullhaven", "lighthouse")
	id := regexp.MustCompile(`(?m)^(a[0-9a-f]{8})`).FindStringSubmatch(list)
	if id == nil {
		t.Fatalf("no lighthouse article:\n%s", list)
	}
	code, out, errOut = runCLI(t, db, "article", id[1])
	if code != 0 || !strings.Contains(out, "Outlet furniture taken out (template ") || !strings.Contains(out, "¶") ||
		!regexp.MustCompile(`Cleaned again\n  .* template [0-9a-f]{16}: 2 paragraphs out, 0 back\n`).MatchString(out) {
		t.Errorf("article: exit %d\n%s%s", code, out, errOut)
	}
	if i := strings.Index(out, "Outlet furniture"); i < 0 || strings.Contains(out[:i], footer) {
		t.Errorf("the footer is still in the text:\n%s", out)
	}
}
