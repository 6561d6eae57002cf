package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"strings"

	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store"
)

type apiErr struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func apiError(w http.ResponseWriter, status int, code, msg string) {
	var e apiErr
	e.Error.Code, e.Error.Message = code, msg
	writeJSON(w, status, e)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"error":{"code":"internal","message":"the answer could not be encoded"}}`, http.StatusInternalServerError)
		return
	}
	writeJSONBytes(w, status, append(b, '\n'))
}

// writeJSONBytes answers with JSON already encoded.
func writeJSONBytes(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// apiFail answers a store error with its status and code.
func (s *Server) apiFail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		apiError(w, http.StatusNotFound, "not_found", "no such ID in this store")
	case errors.Is(err, store.ErrAmbiguous):
		apiError(w, http.StatusBadRequest, "ambiguous", "that ID begins several; give more of it")
	case r.Context().Err() != nil:
	default:
		s.log.Error("api", "path", r.URL.Path, "err", err)
		apiError(w, http.StatusInternalServerError, "internal", "the store could not answer")
	}
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	b, err := assets.ReadFile("assets/openapi.json")
	if err != nil {
		apiError(w, http.StatusInternalServerError, "internal", "no API document")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

func (s *Server) apiStories(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Has("q") {
		s.apiStoriesSearch(w, r)
		return
	}
	q, err := storyQuery(r.URL.Query())
	if err != nil {
		apiError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	pg, err := s.store.StoriesPage(r.Context(), q)
	if err != nil {
		if q.Cursor != "" && r.Context().Err() == nil && !errors.Is(err, store.ErrNotFound) {
			apiError(w, http.StatusBadRequest, "bad_cursor", "the cursor is not one this server gave")
			return
		}
		s.apiFail(w, r, err)
		return
	}
	out := StoryList{Stories: []StoryItem{}, Next: pg.Next}
	for _, st := range pg.Stories {
		out.Stories = append(out.Stories, storyItem(st))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiStory(w http.ResponseWriter, r *http.Request) {
	ref := r.PathValue("id")
	version, ok, err := s.storyVersion(r.Context(), ref)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	if ok {
		if e, hit := s.views.get(viewKey{viewAPI, ref}, version); hit {
			s.metrics.cached.WithLabelValues("hit").Inc()
			writeJSONBytes(w, http.StatusOK, e.body)
			return
		}
		s.metrics.cached.WithLabelValues("miss").Inc()
	}
	id := ref
	if !ok {
		if id, err = s.store.Resolve(r.Context(), store.KindStory, ref); err != nil {
			s.apiFail(w, r, err)
			return
		}
		version = -1 // an alias or a prefix, or no versions: kept by none
	}
	v, err := s.storyView(r.Context(), id)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		s.apiFail(w, r, fmt.Errorf("story %s: encode: %w", id, err))
		return
	}
	b = append(b, '\n')
	if version >= 0 {
		s.views.put(&viewEntry{key: viewKey{viewAPI, id}, version: version, body: b})
	}
	writeJSONBytes(w, http.StatusOK, b)
}

func (s *Server) apiArticle(w http.ResponseWriter, r *http.Request) {
	id, err := s.store.Resolve(r.Context(), store.KindArticle, r.PathValue("id"))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	v, err := s.articleView(r.Context(), id)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// PostResult is the answer to POST /api/v1/articles.
type PostResult struct {
	Results []Result `json:"results"`
}

// apiPost ingests one JSON article (application/json) or a JSONL batch
// (application/x-ndjson, application/jsonl), spooled to disk first.
func (s *Server) apiPost(w http.ResponseWriter, r *http.Request) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	body := http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
	var path string
	var n int64
	var err error
	switch ct {
	case "application/json", "":
		path, err = s.spoolOne(body)
	case "application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines":
		if path, n, err = s.spool(body, s.cfg.MaxBody); err == nil && n == 0 {
			err = errors.New("the body is empty: send one article a line")
		}
	default:
		apiError(w, http.StatusUnsupportedMediaType, "unsupported_media_type", "send application/json (one article) or application/x-ndjson (one article a line)")
		return
	}
	if path != "" {
		defer os.Remove(path)
	}
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe) || errors.Is(err, errTooLarge):
		apiError(w, http.StatusRequestEntityTooLarge, "too_large", "the body is over the server's limit")
		return
	case err != nil:
		apiError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	results, err := s.ingestRecords(r.Context(), path)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	if len(results) == 0 {
		apiError(w, http.StatusBadRequest, "bad_request", "the body holds no article")
		return
	}
	writeJSON(w, http.StatusOK, PostResult{Results: results})
}

// spoolOne checks one JSON article and writes it as a JSONL line. It is
// read whole, as JSON must be, within the body limit.
func (s *Server) spoolOne(body io.Reader) (string, error) {
	raw, err := io.ReadAll(body)
	if err != nil {
		return "", err
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return "", errors.New("want one JSON object: an article with the fields of the JSONL input (url, title, text or html, published, outlet, authors, language)")
	}
	if _, err := source.ParseRecord(compact(raw)); err != nil {
		return "", errors.New("the article: " + strings.TrimPrefix(err.Error(), "source: "))
	}
	path, _, err := s.spool(bytes.NewReader(append(compact(raw), '\n')), s.cfg.MaxBody+1)
	return path, err
}

func compact(raw []byte) []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return raw
	}
	return b.Bytes()
}
