package store

import (
	"reflect"
	"testing"
)

func TestFurnitureCodec(t *testing.T) {
	tests := []struct {
		name string
		f    Furniture
		want string
	}{
		{"none", Furniture{}, ""},
		{"version alone is none", Furniture{Version: "v1"}, ""},
		{"paragraphs", Furniture{Version: "v2", Removed: []RemovedParagraph{{Index: 3, Text: "Ferry times"}}},
			`{"Version":"v2","Removed":[{"Index":3,"Text":"Ferry times"}]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := EncodeFurniture(tc.f)
			if err != nil || got != tc.want {
				t.Fatalf("EncodeFurniture = %q, %v; want %q", got, err, tc.want)
			}
			back, err := DecodeFurniture(got)
			if want := tc.f; len(want.Removed) == 0 {
				if err != nil || !reflect.DeepEqual(back, Furniture{}) {
					t.Errorf("DecodeFurniture(%q) = %+v, %v; want none", got, back, err)
				}
			} else if err != nil || !reflect.DeepEqual(back, want) {
				t.Errorf("DecodeFurniture(%q) = %+v, %v; want %+v", got, back, err, want)
			}
		})
	}
	if _, err := DecodeFurniture("{not json"); err == nil {
		t.Error("DecodeFurniture of broken JSON succeeded")
	}
}

// FuzzDecodeFurniture: what decodes encodes to what decodes the same.
func FuzzDecodeFurniture(f *testing.F) {
	f.Add(`{"Version":"v2","Removed":[{"Index":3,"Text":"Ferry times"}]}`)
	f.Add(``)
	f.Fuzz(func(t *testing.T, s string) {
		fu, err := DecodeFurniture(s)
		if err != nil {
			return
		}
		enc, err := EncodeFurniture(fu)
		if err != nil {
			t.Fatal(err)
		}
		again, err := DecodeFurniture(enc)
		if err != nil {
			t.Fatalf("re-decoding %q: %v", enc, err)
		}
		if len(fu.Removed) > 0 && !reflect.DeepEqual(again, fu) {
			t.Fatalf("round trip %+v -> %q -> %+v", fu, enc, again)
		}
	})
}
