package charset

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/unicode"
)

// TestUndeclared reads legacy pages that declare no charset at all.
func TestUndeclared(t *testing.T) {
	cases := []struct {
		file, name, phrase string
	}{
		{"euc-kr.html", "euc-kr", "푸른강시 시립도서관이"},
		{"shift_jis.html", "shift_jis", "青葉湾市の漁協は"},
		{"windows-1251.html", "windows-1251", "Вестник Заречья"},
		{"windows-1252.html", "windows-1252", "Le Courrier des Étangs"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			text, res, err := HTML(raw, "")
			if err != nil {
				t.Fatal(err)
			}
			if res.Name != tc.name {
				t.Errorf("charset %q (%v), want %q", res.Name, res.Source, tc.name)
			}
			if !strings.Contains(text, tc.phrase) {
				t.Errorf("decoded text lacks %q", tc.phrase)
			}
		})
	}
}

func enc(t *testing.T, e interface{ String(string) (string, error) }, s string) string {
	t.Helper()
	out, err := e.String(s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestOrder checks which signal wins: BOM, header, meta, the bytes.
func TestOrder(t *testing.T) {
	kr := korean.EUCKR.NewEncoder()
	cyr := charmap.Windows1251.NewEncoder()
	u16 := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder()
	cases := []struct {
		name, raw, contentType string
		wantName               string
		wantSrc                Source
		phrase                 string
	}{
		{"meta charset", enc(t, kr, `<meta charset="euc-kr"><p>항구 식당</p>`), "", "euc-kr", Meta, "항구 식당"},
		{"http-equiv", enc(t, cyr, `<meta http-equiv="Content-Type" content="text/html; charset=windows-1251"><p>Озёрный рынок</p>`), "", "windows-1251", Meta, "Озёрный рынок"},
		{"header beats meta", enc(t, cyr, `<meta charset="iso-8859-1"><p>Озёрный рынок</p>`), "text/html; charset=cp1251", "windows-1251", Header, "Озёрный рынок"},
		{"bom beats header", "\xef\xbb\xbf<p>Grüße aus Tannau</p>", "text/html; charset=iso-8859-1", "utf-8", BOM, "Grüße aus Tannau"},
		{"utf-16 bom", enc(t, u16, "<p>Grüße aus Tannau</p>"), "", "utf-16le", BOM, "Grüße aus Tannau"},
		{"valid utf-8 declared latin-1", `<meta charset="iso-8859-1"><p>Grüße aus Tannau</p>`, "", "utf-8", Valid, "Grüße aus Tannau"},
		{"meta after a long head", `<head><script>` + strings.Repeat("var a=1;", 300) + `</script><meta charset="windows-1251"></head><p>` + enc(t, cyr, "Озёрный рынок") + `</p>`, "", "windows-1251", Meta, "Озёрный рынок"},
		{"meta in the body is ignored", `<body><meta charset="windows-1251"><p>plain words</p>`, "", "utf-8", Valid, "plain words"},
		{"unknown label", `<meta charset="x-made-up"><p>plain words</p>`, "", "utf-8", Valid, "plain words"},
		{"declared utf-8 with a stray byte", "<meta charset=utf-8><p>Grüße aus Tannau \xff und Öhringen, schön</p>", "", "utf-8", Meta, "Grüße aus Tannau \uFFFD und"},
		{"ascii", `<p>plain words</p>`, "", "utf-8", Valid, "plain words"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			text, res, err := HTML([]byte(tc.raw), tc.contentType)
			if err != nil {
				t.Fatal(err)
			}
			if res.Name != tc.wantName || res.Source != tc.wantSrc {
				t.Errorf("got %s from %v, want %s from %v", res.Name, res.Source, tc.wantName, tc.wantSrc)
			}
			if !strings.Contains(text, tc.phrase) {
				t.Errorf("text %q lacks %q", text, tc.phrase)
			}
		})
	}
}

// TestText decodes text files: no meta is read in them.
func TestText(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "windows-1251.html"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, raw, wantName, phrase string
	}{
		{"legacy", string(raw), "windows-1251", "Ольга Миронова"},
		{"utf-8", "Grüße aus Tannau", "utf-8", "Grüße aus Tannau"},
		{"bom", "\xef\xbb\xbfGrüße", "utf-8", "Grüße"},
		{"meta is text here", `<meta charset="windows-1251"> plain`, "utf-8", "plain"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			text, res, err := Text([]byte(tc.raw))
			if err != nil {
				t.Fatal(err)
			}
			if res.Name != tc.wantName || !strings.Contains(text, tc.phrase) {
				t.Errorf("got %s %q, want %s with %q", res.Name, text, tc.wantName, tc.phrase)
			}
			if strings.HasPrefix(text, "\ufeff") {
				t.Error("BOM kept")
			}
		})
	}
}

func FuzzHTML(f *testing.F) {
	for _, name := range []string{"euc-kr.html", "shift_jis.html", "windows-1251.html"} {
		if b, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(b, "")
		}
	}
	f.Add([]byte(`<meta http-equiv=content-type content="text/html;charset='koi8-r'">x`), "text/html; charset=")
	f.Add([]byte("\xfe\xff\x00<"), "")
	f.Fuzz(func(t *testing.T, raw []byte, ct string) {
		text, res, err := HTML(raw, ct)
		if err != nil {
			return
		}
		if !utf8.ValidString(text) {
			t.Errorf("invalid UTF-8 out of %s", res.Name)
		}
		if res.Name == "" {
			t.Error("no charset name")
		}
	})
}

func BenchmarkHTML(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("testdata", "euc-kr.html"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := HTML(raw, ""); err != nil {
			b.Fatal(err)
		}
	}
}
