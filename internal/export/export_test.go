package export

import (
	"encoding/json"
	"testing"
	"time"

	dossier "github.com/dossiernews/dossier"
)

func TestArticleContract(t *testing.T) {
	seoul := time.FixedZone("KST", 9*3600)
	tests := []struct {
		name string
		in   dossier.Article
		want string
	}{
		{
			name: "unknowns are null, lists are empty arrays",
			in:   dossier.Article{ID: "a1", Source: "feed.jsonl#3", Text: "Body.", StoryID: "sa1"},
			want: `{"id":"a1","source":"feed.jsonl#3","url":"","outlet":"","title":"","authors":[],"published":null,"language":"","text":"Body.","duplicate_of":null,"story":"sa1","quotes":[],"contacts":[],"captions":[]}`,
		},
		{
			name: "offset kept, quote speaker null when unknown",
			in: dossier.Article{
				ID: "a2", Source: "x.txt", Published: time.Date(2024, 2, 1, 7, 5, 0, 0, seoul),
				Text: `She said "yes".`, DuplicateOf: "a1", Similarity: 0.8, StoryID: "sa1",
				Quotes: []dossier.Quote{{Text: "yes", Start: 10, End: 13}},
			},
			want: `{"id":"a2","source":"x.txt","url":"","outlet":"","title":"","authors":[],"published":"2024-02-01T07:05:00+09:00","language":"","text":"She said \"yes\".","duplicate_of":"a1","story":"sa1","quotes":[{"text":"yes","speaker":null,"start":10,"end":13,"partial":false}],"contacts":[],"captions":[],"similarity":0.8}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(FromArticle(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestTimeIsNumericOffset(t *testing.T) {
	if got := *Time(time.Date(2025, 3, 5, 9, 10, 0, 0, time.UTC)); got != "2025-03-05T09:10:00+00:00" {
		t.Errorf("UTC: got %s, want +00:00", got)
	}
	if Time(time.Time{}) != nil {
		t.Error("zero time must be null")
	}
}
