package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

type uploadFile struct {
	Name    string
	Error   string
	Results []Result
}

type ingestData struct {
	Files   []uploadFile
	Counts  string
	Problem string
}

func (s *Server) ingestForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "ingest", "Add articles", "ingest", ingestData{})
}

// ingestUpload reads the form's files one part at a time, each spooled to
// a temporary file and ingested before the next is read.
func (s *Server) ingestUpload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload)
	mr, err := r.MultipartReader()
	if err != nil {
		s.render(w, r, http.StatusBadRequest, "ingest", "Add articles", "ingest", ingestData{Problem: "Choose one or more files, then upload them."})
		return
	}
	var d ingestData
	status := http.StatusOK
	counts := map[string]int{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			d.Problem, status = fmt.Sprintf("The upload is over the server's limit of %d MiB; send fewer or smaller files.", s.cfg.MaxUpload>>20), http.StatusRequestEntityTooLarge
			break
		}
		if err != nil {
			d.Problem, status = "The upload was cut short; send it again.", http.StatusBadRequest
			break
		}
		if part.FormName() != "files" || part.FileName() == "" {
			part.Close()
			continue
		}
		name := filepath.Base(strings.ReplaceAll(part.FileName(), "\\", "/"))
		f := uploadFile{Name: name}
		path, _, err := s.spool(part, s.cfg.MaxUpload)
		part.Close()
		if err != nil {
			if errors.As(err, &mbe) || errors.Is(err, errTooLarge) {
				d.Problem, status = fmt.Sprintf("The upload is over the server's limit of %d MiB; the files before %s were ingested.", s.cfg.MaxUpload>>20, name), http.StatusRequestEntityTooLarge
				break
			}
			s.log.Error("upload", "file", name, "err", err)
			f.Error = "could not be received"
			d.Files = append(d.Files, f)
			continue
		}
		ingestOne := s.ingestFile
		if ext := strings.ToLower(filepath.Ext(name)); ext == ".jsonl" || ext == ".ndjson" {
			ingestOne = s.ingestRecords
		}
		results, err := ingestOne(r.Context(), path)
		os.Remove(path)
		if err != nil {
			if r.Context().Err() != nil {
				return
			}
			s.log.Error("upload", "file", name, "err", err)
			f.Error = "could not be ingested: the store failed; the server's log says why"
			status = http.StatusInternalServerError
		}
		if err == nil && len(results) == 0 {
			f.Error = "holds no article"
		}
		for _, res := range results {
			counts[res.Status]++
		}
		f.Results = results
		d.Files = append(d.Files, f)
	}
	if len(d.Files) == 0 && d.Problem == "" {
		d.Problem, status = "Choose one or more files, then upload them.", http.StatusBadRequest
	}
	var parts []string
	for _, k := range []string{StatusNew, StatusUpdated, StatusUnchanged, StatusFailed} {
		if counts[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[k], k))
		}
	}
	d.Counts = strings.Join(parts, " · ")
	s.render(w, r, status, "ingest", "Add articles", "ingest", d)
}
