package web

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowser drives Debian's Chromium through the pages as a reader
// would, screenshots each into $DOSSIER_SCREENSHOTS (else a temporary
// folder), and checks that no hostile input runs.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a browser")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is not installed; .ci/run installs it")
		}
		t.Skip("no chromium on this machine (apt-get install chromium)")
	}
	shots := os.Getenv("DOSSIER_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, Config{Loopback: true}, examplePaths...)
	story := comparedStory(t, f)
	hostile := firstStory(t, f, "Ferry timetable")
	upload, err := filepath.Abs("testdata/upload.txt")
	if err != nil {
		t.Fatal(err)
	}

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.Headless, chromedp.NoSandbox, chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true), chromedp.Flag("hide-scrollbars", true),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	base := f.http.URL
	do := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	count := func(css string) string {
		return eval(fmt.Sprintf(`String(document.querySelectorAll(%q).length)`, css))
	}
	shot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// safe checks that nothing an article carried has run.
	safe := func(where string) {
		t.Helper()
		pwned := eval(`String(window.__pwned)`)
		title := eval(`document.title`)
		if pwned != "undefined" || title == "pwned" {
			t.Errorf("%s: a hostile script ran (window.__pwned %s, title %q)", where, pwned, title)
		}
	}

	do(chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("table.stories")))
	shot("stories")
	safe("stories")
	if text := eval(`document.querySelector("main").innerText`); !strings.Contains(text, "Ferry timetable") {
		t.Errorf("stories page: %.300s", text)
	}
	if bg := eval(`getComputedStyle(document.querySelector("header.top")).backgroundColor`); bg != "rgb(28, 31, 36)" {
		t.Errorf("the stylesheet did not apply under the CSP: header %q", bg)
	}

	// Search from the stories page's box, switch to quotes, open a hit.
	do(chromedp.SendKeys(chromedp.ID("q"), "court"), chromedp.Submit(chromedp.ID("q")), chromedp.WaitVisible(chromedp.CSS("ol.hits")))
	shot("search")
	safe("search")
	if n := count("li.hit"); n == "0" || count(".hit-title mark, .hit-snippet mark") == "0" {
		t.Errorf("search: %s hits, none marked", n)
	}
	do(chromedp.Click(chromedp.CSS(`nav.tabs a:nth-child(2)`)), chromedp.WaitVisible(chromedp.CSS("blockquote.hit-quote")))
	shot("search-quotes")
	safe("search quotes")
	if count("blockquote.hit-quote mark") == "0" || count(".hit-speaker .strong") == "0" {
		t.Error("quote hits without marks or speakers")
	}
	do(chromedp.Click(chromedp.CSS(".hit-meta a[href^='/articles/']")), chromedp.WaitVisible(chromedp.CSS("mark#hl")))
	shot("search-hit")
	if text := eval(`document.querySelector("mark#hl").innerText`); !strings.Contains(strings.ToLower(text), "court") {
		t.Errorf("the quote opened is not marked in its article: %q", text)
	}
	do(chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("table.stories")))

	do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/stories/%s"]`, story))), chromedp.WaitVisible(chromedp.CSS(".timeline svg")))
	shot("story")
	safe("story")
	for css, what := range map[string]string{".timeline circle.dot": "timeline dots", "section[aria-labelledby=rem] blockquote": "remarks",
		"section[aria-labelledby=uni] li": "unique facts", ".conflict": "conflicts"} {
		if n := count(css); n == "0" {
			t.Errorf("story page: no %s", what)
		}
	}

	// A conflict's sentence opens its article with the sentence marked.
	do(chromedp.Click(chromedp.CSS(".conflict td a")), chromedp.WaitVisible(chromedp.CSS("mark#hl")))
	shot("article")
	safe("article")
	if text := eval(`document.querySelector("mark#hl").innerText`); strings.TrimSpace(text) == "" {
		t.Error("the linked sentence is not marked")
	}
	if count("span.quote") == "0" || count("span.speaker") == "0" {
		t.Error("the article's quotes are not highlighted with their speakers")
	}

	do(chromedp.Navigate(base+"/stories/"+hostile.ID), chromedp.WaitVisible(chromedp.CSS("h1")))
	shot("hostile-story")
	safe("hostile story")
	do(chromedp.Click(chromedp.CSS("td.title a")), chromedp.WaitVisible(chromedp.CSS("article.reading")))
	shot("hostile-article")
	safe("hostile article")
	if js := eval(`Array.from(document.querySelectorAll("a")).map(a => a.getAttribute("href")).filter(h => /^\s*javascript:/i.test(h)).join(" ")`); js != "" {
		t.Errorf("javascript: links: %s", js)
	}
	if h1 := eval(`document.querySelector("h1").innerText`); !strings.Contains(h1, "<script>") {
		t.Errorf("the hostile title is not shown as text: %q", h1)
	}
	if n := count("img, script, b"); n != "0" {
		t.Errorf("%s elements from the article made it into the page", n)
	}

	// Uploading needs the token: sign in through the form, then upload.
	do(chromedp.Navigate(base+"/ingest"), chromedp.WaitVisible(chromedp.ID("token")))
	shot("signin")
	do(chromedp.SendKeys(chromedp.ID("token"), testToken), chromedp.Submit(chromedp.ID("token")),
		chromedp.WaitVisible(chromedp.ID("files")),
		chromedp.SetUploadFiles(chromedp.ID("files"), []string{upload}),
		chromedp.Click(chromedp.CSS("form.form button[type=submit]")),
		chromedp.WaitVisible(chromedp.ID("res")))
	shot("ingest")
	safe("ingest")
	if text := eval(`document.querySelector("main").innerText`); !strings.Contains(text, "upload.txt") || !strings.Contains(text, "1 new") {
		t.Errorf("upload results: %.400s", text)
	}

	// On a phone.
	do(chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/stories/"+story), chromedp.WaitVisible(chromedp.CSS("h1")))
	shot("story-phone")
	do(chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("h1")))
	shot("stories-phone")
	do(chromedp.Navigate(base+"/search?q=court&quotes=1"), chromedp.WaitVisible(chromedp.CSS("h1")))
	shot("search-phone")
	do(chromedp.Navigate(base+"/search"), chromedp.WaitVisible(chromedp.CSS("details.help")))
	shot("search-help-phone")
	t.Logf("screenshots in %s", shots)
}
