package source

import (
	"bytes"
	"encoding/json"
	"strings"
)

// crawlerRecord is a JSONL record in Dossier's fields or in those of the
// news crawlers whose output users bring: news-please (maintext,
// date_publish), newspaper4k (text, publish_date, meta_site_name,
// canonical_link, meta_lang) and Fundus (plaintext or body,
// publishing_date, publisher, html as an object). Dossier's own fields
// win; the others fill what they leave empty.
type crawlerRecord struct {
	plainFields
	// HTML is Dossier's page string, or Fundus's object about the fetch.
	HTML json.RawMessage `json:"html"`

	Maintext    string `json:"maintext"`     // news-please
	DatePublish string `json:"date_publish"` // news-please

	PublishDate   json.RawMessage `json:"publish_date"` // newspaper4k: a string or null
	MetaSiteName  string          `json:"meta_site_name"`
	CanonicalLink string          `json:"canonical_link"`
	MetaLang      string          `json:"meta_lang"`

	Plaintext      string          `json:"plaintext"`       // Fundus
	PublishingDate string          `json:"publishing_date"` // Fundus
	Publisher      json.RawMessage `json:"publisher"`       // Fundus: a name or {"name": …}
	Body           *fundusBody     `json:"body"`
	Lang           string          `json:"lang"`
}

// plainFields decodes Fields without its UnmarshalJSON.
type plainFields Fields

type fundusBody struct {
	Summary  []string `json:"summary"`
	Sections []struct {
		Headline   []string `json:"headline"`
		Paragraphs []string `json:"paragraphs"`
	} `json:"sections"`
}

type fundusHTML struct {
	RequestedURL string `json:"requested_url"`
	RespondedURL string `json:"responded_url"`
	Content      string `json:"content"`
	SourceInfo   struct {
		Publisher string `json:"publisher"`
	} `json:"source_info"`
}

// UnmarshalJSON reads a record in Dossier's fields or a news crawler's.
func (f *Fields) UnmarshalJSON(b []byte) error {
	var r crawlerRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return err
	}
	*f = Fields(r.plainFields)
	var fh fundusHTML
	if h := bytes.TrimSpace(r.HTML); len(h) > 0 {
		switch h[0] {
		case '"':
			if err := json.Unmarshal(h, &f.HTML); err != nil {
				return err
			}
		case '{':
			// Fundus says where the page came from, and may hold it.
			_ = json.Unmarshal(h, &fh)
			f.HTML = fh.Content
		}
	}
	fill := func(dst *string, values ...string) {
		for _, v := range values {
			if strings.TrimSpace(*dst) != "" {
				return
			}
			*dst = strings.TrimSpace(v)
		}
	}
	fill(&f.Text, r.Maintext, r.Plaintext, r.Body.text())
	fill(&f.Published, r.DatePublish, jsonString(r.PublishDate), r.PublishingDate)
	fill(&f.URL, r.CanonicalLink, fh.RespondedURL, fh.RequestedURL)
	fill(&f.Outlet, r.MetaSiteName, publisherName(r.Publisher), fh.SourceInfo.Publisher)
	fill(&f.Language, r.MetaLang, r.Lang)
	return nil
}

// text joins a Fundus body's paragraphs, a section's headline first.
func (b *fundusBody) text() string {
	if b == nil {
		return ""
	}
	var paras []string
	paras = append(paras, b.Summary...)
	for _, s := range b.Sections {
		paras = append(paras, s.Headline...)
		paras = append(paras, s.Paragraphs...)
	}
	return strings.Join(paras, "\n\n")
}

func jsonString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

func publisherName(raw json.RawMessage) string {
	if s := jsonString(raw); s != "" {
		return s
	}
	var p struct {
		Name string `json:"name"`
	}
	_ = json.Unmarshal(raw, &p)
	return p.Name
}
