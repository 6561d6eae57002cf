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
			want: `{"id":"a1","source":"feed.jsonl#3","url":"","outlet":"","title":"","authors":[],"published":null,"language":"","text":"Body.","duplicate_of":null,"story":"sa1","quotes":[],"contacts":[],"captions":[],"modified":null}`,
		},
		{
			name: "offset kept, quote speaker null when unknown",
			in: dossier.Article{
				ID: "a2", Source: "x.txt", Published: time.Date(2024, 2, 1, 7, 5, 0, 0, seoul),
				Modified: time.Date(2024, 2, 2, 9, 30, 0, 0, seoul),
				Text:     `She said "yes".`, DuplicateOf: "a1", Similarity: 0.8, StoryID: "sa1",
				Quotes: []dossier.Quote{{Text: "yes", Start: 10, End: 13}},
			},
			want: `{"id":"a2","source":"x.txt","url":"","outlet":"","title":"","authors":[],"published":"2024-02-01T07:05:00+09:00","language":"","text":"She said \"yes\".","duplicate_of":"a1","story":"sa1","quotes":[{"text":"yes","speaker":null,"start":10,"end":13,"partial":false}],"contacts":[],"captions":[],"similarity":0.8,"modified":"2024-02-02T09:30:00+09:00"}`,
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

func TestStoryContract(t *testing.T) {
	tests := []struct {
		name string
		in   dossier.Story
		want string
	}{
		{
			name: "not yet compared: empty arrays, never null",
			in:   dossier.Story{ID: "s1", Title: "T", Articles: []string{"a1"}},
			want: `{"id":"s1","title":"T","articles":["a1"],"outlets":[],"first_published":null,"last_published":null,"speakers":[],"remarks":[],"unique":[],"conflicts":[]}`,
		},
		{
			name: "a comparison, with an unknown speaker",
			in: dossier.Story{ID: "s2", Title: "T", Articles: []string{"a1", "a2"}, Outlets: []string{"A", "B"}, Comparison: &dossier.Comparison{
				Remarks:   []dossier.Remark{{Text: "We will rebuild", Outlets: []string{"A", "B"}, Quotes: []dossier.QuoteRef{{Article: "a1", Start: 1, End: 16}, {Article: "a2", Start: 4, End: 19}}}},
				Unique:    []dossier.Unique{{Article: "a2", Start: 20, End: 60, Score: 0.5, Outlets: []string{"B", "C"}}},
				Conflicts: []dossier.Conflict{{About: "people injured", Values: []dossier.ConflictValue{{Article: "a1", Value: "12", Start: 3, End: 5, SentenceStart: 0, SentenceEnd: 30}, {Article: "a2", Value: "fifteen", Start: 7, End: 14, SentenceStart: 0, SentenceEnd: 40}}}},
			}},
			want: `{"id":"s2","title":"T","articles":["a1","a2"],"outlets":["A","B"],"first_published":null,"last_published":null,"speakers":[],` +
				`"remarks":[{"speaker":null,"text":"We will rebuild","outlets":["A","B"],"quotes":[{"article":"a1","start":1,"end":16},{"article":"a2","start":4,"end":19}]}],` +
				`"unique":[{"article":"a2","start":20,"end":60,"score":0.5,"outlets":["B","C"]}],` +
				`"conflicts":[{"about":"people injured","values":[{"article":"a1","value":"12","start":3,"end":5,"sentence_start":0,"sentence_end":30},{"article":"a2","value":"fifteen","start":7,"end":14,"sentence_start":0,"sentence_end":40}]}]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(FromStory(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}
