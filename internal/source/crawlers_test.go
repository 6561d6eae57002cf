package source

import (
	"bufio"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestCrawlerRecords(t *testing.T) {
	want := []Fields{
		{URL: "https://skelholm-post.example/news/ferry", Title: "Skelholm ferry to run twice a day",
			Text:      "The ferry to Skelholm will run twice a day from May, the island council said.\n\nTickets go on sale next week.",
			Published: "2026-03-02 18:05:00", Authors: Authors{"Wren Halloway"}, Language: "en"},
		{URL: "https://dunmore-times.example/a/market", Title: "Dunmore market moves indoors for winter",
			Text:      "The weekly market will move into the old corn exchange until March, traders were told.",
			Published: "2026-01-09T07:00:00+00:00", Outlet: "The Dunmore Times", Authors: Authors{"Ansel Crane", "Bea Morrow"}, Language: "en"},
		{URL: "https://dunmore-times.example/a/undated", Title: "An undated piece", Text: "Words without a date.", Authors: Authors{}, Language: "en"},
		{URL: "https://quayside-news.example/lights", Title: "Harbour lights switched on",
			Text:      "The lights went on at dusk.\n\nCrowds lined the quay as the lights came on.\n\nThe display runs until January.\n\nCosts\n\nThe council paid for the new bulbs.",
			Published: "2026-12-01T17:00:00+01:00", Outlet: "Quayside News", Authors: Authors{"Ines Varga"}},
		{URL: "https://quayside-news.example/plain", Title: "Plaintext first", Text: "Fundus's plaintext is taken as it is.", Outlet: "Quayside News"},
		{URL: "https://own-fields.example/x", Title: "Dossier's own fields win", Text: "Own text.", HTML: "<p>own</p>", Published: "2026-02-02", Outlet: "Own Outlet"},
	}
	f, err := os.Open(filepath.Join("testdata", "crawlers.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	var got []Fields
	for sc.Scan() {
		doc, err := ParseRecord(sc.Bytes())
		if err != nil {
			t.Fatalf("line %d: %v", len(got)+1, err)
		}
		got = append(got, doc.Record)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("line %d:\n got %+v\nwant %+v", i+1, got[i], want[i])
		}
	}
}

func TestCrawlerRecordErrors(t *testing.T) {
	tests := []struct {
		name, line string
		wantErr    bool
	}{
		{"html neither string nor object is passed over", `{"text": "x", "html": 3}`, false},
		{"authors of numbers", `{"text": "x", "authors": [1, 2]}`, true},
		{"an empty Fundus body and nothing else", `{"body": {"sections": []}}`, true},
		{"a news-please record without maintext", `{"title": "t", "date_publish": "2026-01-01 00:00:00"}`, true},
	}
	for _, tt := range tests {
		if _, err := ParseRecord([]byte(tt.line)); (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v, want error %v", tt.name, err, tt.wantErr)
		}
	}
}
