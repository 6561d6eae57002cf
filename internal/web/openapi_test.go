package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	dossier "github.com/dossiernews/dossier"
)

// TestOpenAPI sends a request to every route the document lists, and
// checks each real answer (successes and errors) against the document.
func TestOpenAPI(t *testing.T) {
	f := newFixture(t, Config{}, examplePaths...)
	b, err := assets.ReadFile("assets/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the document is not valid OpenAPI: %v", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	story := comparedStory(t, f)
	sv, err := f.srv.storyView(context.Background(), story)
	if err != nil {
		t.Fatal(err)
	}
	var copyID string
	err = f.st.Articles(context.Background(), func(a dossier.Article) error {
		if a.DuplicateOf != "" {
			copyID = a.ID
		}
		return nil
	})
	if err != nil || copyID == "" {
		t.Fatalf("no example article is a copy (%v)", err)
	}
	batch, err := os.ReadFile("testdata/batch.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	speaker := ""
	for _, a := range sv.Speakers {
		speaker = cmpOr(speaker, a.Name)
	}
	if speaker == "" {
		t.Fatal("the compared story quotes nobody")
	}
	auth := "Bearer " + testToken
	tests := []struct {
		method, path, ctype, body, auth string
		status                          int
	}{
		{"GET", "/api/v1/stories", "", "", auth, 200},
		{"GET", "/api/v1/stories?limit=2", "", "", auth, 200},
		{"GET", "/api/v1/stories?outlet=nobody", "", "", auth, 200},
		{"GET", "/api/v1/stories?from=tomorrow", "", "", auth, 400},
		{"GET", "/api/v1/stories", "", "", "", 401},
		{"GET", "/api/v1/stories/" + story, "", "", auth, 200},
		{"GET", "/api/v1/stories/szzzz", "", "", auth, 404},
		{"GET", "/api/v1/articles/" + copyID, "", "", auth, 200},
		{"GET", "/api/v1/articles/" + sv.Items[0].ID, "", "", auth, 200},
		{"GET", "/api/v1/articles/azzzz", "", "", auth, 404},
		{"POST", "/api/v1/articles", "application/x-ndjson", string(batch), auth, 200},
		{"POST", "/api/v1/articles", "application/json", `{"url": "https://tidewater.example/b", "text": "Bins\n\nBins will be emptied on Friday."}`, auth, 200},
		{"POST", "/api/v1/articles", "application/json", `{"text": `, auth, 400},
		{"POST", "/api/v1/articles", "application/json", `{}`, "", 401},
		{"POST", "/api/v1/articles", "application/x-ndjson", strings.Repeat("y", DefaultMaxBody+1), auth, 413},
		{"GET", "/api/v1/stories?q=ferry&limit=2", "", "", auth, 200},
		{"GET", "/api/v1/stories?q=ferry&cursor=nonsense", "", "", auth, 400},
		{"GET", "/api/v1/search?q=ferry", "", "", auth, 200},
		{"GET", "/api/v1/search?q=the&limit=2", "", "", auth, 200},
		{"GET", "/api/v1/search?q=" + url.QueryEscape(`"unclosed a:b <script>`), "", "", auth, 200},
		{"GET", "/api/v1/search?q=ferry&cursor=nonsense", "", "", auth, 400},
		{"GET", "/api/v1/search?q=ferry", "", "", "", 401},
		{"GET", "/api/v1/quotes?q=islanders", "", "", auth, 200},
		{"GET", "/api/v1/quotes?speaker=" + url.QueryEscape(speaker), "", "", auth, 200},
		{"GET", "/api/v1/quotes?speaker=%3F%3F", "", "", auth, 400},
		{"GET", "/healthz", "", "", "", 200},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path[:min(len(tt.path), 60)], func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			if tt.ctype != "" {
				req.Header.Set("Content-Type", tt.ctype)
			}
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			w := httptest.NewRecorder()
			f.srv.Handler().ServeHTTP(w, req)
			resp := w.Result()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			// The document is matched against a request without the big body.
			vreq := httptest.NewRequest(tt.method, "http://localhost"+tt.path, nil)
			vreq.Header = req.Header.Clone()
			route, params, err := router.FindRoute(vreq)
			if err != nil {
				t.Fatalf("the document has no route for it: %v", err)
			}
			seen[route.Method+" "+route.Path] = true
			input := &openapi3filter.ResponseValidationInput{
				RequestValidationInput: &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route,
					Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
				Status: resp.StatusCode, Header: resp.Header, Body: io.NopCloser(bytes.NewReader(body)),
				Options: &openapi3filter.Options{IncludeResponseStatus: true},
			}
			if err := openapi3filter.ValidateResponse(context.Background(), input); err != nil {
				t.Errorf("the answer does not match the document: %v\n%s", err, body)
			}
			if tt.status >= 400 {
				var e apiErr
				if json.Unmarshal(body, &e) != nil || e.Error.Code == "" {
					t.Errorf("not an error object: %s", body)
				}
			}
		})
	}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if !seen[method+" "+path] {
				t.Errorf("no test answer checked for %s %s", method, path)
			}
		}
	}
}

func TestOpenAPIServed(t *testing.T) {
	f := newFixture(t, Config{Loopback: true})
	resp := f.do(t, http.MethodGet, "/api/v1/openapi.json", "", nil, nil)
	body := readAll(t, resp)
	var doc map[string]any
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &doc) != nil || doc["openapi"] != "3.0.3" {
		t.Errorf("status %d, body %.80s", resp.StatusCode, body)
	}
}
