package dedup

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func fixture(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatalf("read fixture: %v", err)
	}
	return string(b)
}

func TestFingerprint(t *testing.T) {
	orig := fixture(t, "original.txt")
	tests := []struct {
		name  string
		a, b  string
		equal bool
	}{
		{"whitespace, quotes, dashes and case", orig, fixture(t, "respaced.txt"), true},
		{"paragraph breaks are whitespace", "One two three.\n\nFour five.", "One two three. Four five.", true},
		{"apostrophe variants", "The mayor's office", "The mayor\u2019s office", true},
		{"full-width letters", "ABC 123", "\uff21\uff22\uff23 \uff11\uff12\uff13", true},
		{"punctuation only differs", "Rain, then sun!", "rain then sun", true},
		{"edited copy differs", orig, fixture(t, "copy_swapped.txt"), false},
		{"one word differs", "the bridge will close", "the bridge will open", false},
		{"word boundary matters", "to gether", "together", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fa, fb := Fingerprint(tt.a), Fingerprint(tt.b)
			if (fa == fb) != tt.equal {
				t.Errorf("Fingerprint equal = %v, want %v (%s vs %s)", fa == fb, tt.equal, fa, fb)
			}
			if raw, err := hex.DecodeString(fa); err != nil || len(raw) < 16 {
				t.Errorf("Fingerprint %q is not 16+ bytes of hex", fa)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	cfg := DefaultConfig()
	tests := []struct {
		name    string
		index   []string // fixture names added in order, id = name
		query   string
		wantID  string // "" for no match
		minSim  float64
		maxSims float64
	}{
		{"copy with swapped paragraphs and furniture", []string{"original.txt"}, "copy_swapped.txt", "original.txt", 0.5, 1},
		{"copy cut short with a local paragraph", []string{"original.txt"}, "copy_cut.txt", "original.txt", 0.1, 0.6},
		{"original after its cut copy", []string{"copy_cut.txt"}, "original.txt", "copy_cut.txt", 0.1, 0.6},
		{"respaced exact copy", []string{"original.txt"}, "respaced.txt", "original.txt", 0.95, 1},
		{"independent report of the same event", []string{"original.txt"}, "independent.txt", "", 0, 0},
		{"independent report, copies indexed", []string{"original.txt", "copy_cut.txt"}, "independent.txt", "", 0, 0},
		{"original after the independent report", []string{"independent.txt"}, "original.txt", "", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := NewIndex(cfg)
			for _, name := range tt.index {
				ix.Add(name, cfg.Sign(fixture(t, name)))
			}
			id, sim, ok := ix.Match(cfg.Sign(fixture(t, tt.query)))
			if ok != (tt.wantID != "") || id != tt.wantID {
				t.Fatalf("Match = %q, %.3f, %v; want %q", id, sim, ok, tt.wantID)
			}
			if ok && (sim < tt.minSim || sim > tt.maxSims) {
				t.Errorf("similarity %.3f outside [%.2f, %.2f]", sim, tt.minSim, tt.maxSims)
			}
		})
	}
}

func TestMatchTiesGoToEarliest(t *testing.T) {
	cfg := DefaultConfig()
	sig := cfg.Sign(fixture(t, "original.txt"))
	ix := NewIndex(cfg)
	for _, id := range []string{"first", "second", "third"} {
		ix.Add(id, sig)
	}
	for range 5 {
		if id, sim, ok := ix.Match(sig); !ok || id != "first" || sim != 1 {
			t.Fatalf("Match = %q, %v, %v; want first, 1, true", id, sim, ok)
		}
	}
	if ix.Len() != 3 {
		t.Errorf("Len = %d, want 3", ix.Len())
	}
}

func TestMatchPrefersMostSimilar(t *testing.T) {
	cfg := DefaultConfig()
	ix := NewIndex(cfg)
	ix.Add("cut", cfg.Sign(fixture(t, "copy_cut.txt")))
	ix.Add("original", cfg.Sign(fixture(t, "original.txt")))
	id, _, ok := ix.Match(cfg.Sign(fixture(t, "respaced.txt")))
	if !ok || id != "original" {
		t.Errorf("Match = %q, %v; want original", id, ok)
	}
}

func TestIndexRejectsUnusableSignatures(t *testing.T) {
	cfg := DefaultConfig()
	text := fixture(t, "original.txt")
	other := cfg
	other.Hashes = 64
	tests := []struct {
		name string
		sig  Signature
	}{
		{"nil", nil},
		{"empty text", cfg.Sign("")},
		{"punctuation only", cfg.Sign(" -- ... !!! ")},
		{"other hash count", other.Sign(text)},
		{"truncated", cfg.Sign(text)[:10]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := NewIndex(cfg)
			ix.Add("x", tt.sig)
			if ix.Len() != 0 {
				t.Errorf("Add kept an unusable signature")
			}
			ix.Add("orig", cfg.Sign(text))
			if id, _, ok := ix.Match(tt.sig); ok {
				t.Errorf("Match = %q, want no match", id)
			}
		})
	}
}

func TestSignatureMarshal(t *testing.T) {
	cfg := DefaultConfig()
	for _, name := range []string{"original.txt", "copy_cut.txt", "independent.txt"} {
		t.Run(name, func(t *testing.T) {
			sig := cfg.Sign(fixture(t, name))
			b := sig.Marshal()
			got, err := UnmarshalSignature(b)
			if err != nil {
				t.Fatalf("UnmarshalSignature: %v", err)
			}
			if !slices.Equal(got, sig) {
				t.Fatalf("round trip changed the signature")
			}
			if len(b) > 1+4*(headerLen+cfg.Hashes+maxParas+maxLead+maxTitleWords) {
				t.Errorf("encoding is %d bytes, larger than expected", len(b))
			}
		})
	}
	good := cfg.Sign(fixture(t, "original.txt")).Marshal()
	bad := []struct {
		name string
		b    []byte
	}{
		{"other format", append([]byte{9}, good[1:]...)},
		{"odd length", good[:len(good)-1]},
		{"too short", good[:9]},
		{"wrong count", append(slices.Clone(good), 0, 0, 0, 0)},
		{"other scheme", func() []byte { b := slices.Clone(good); b[4] = sigVersion + 1; return b }()},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if s, err := UnmarshalSignature(tt.b); err == nil {
				t.Errorf("UnmarshalSignature accepted %d bytes: %v", len(tt.b), s[:2])
			}
		})
	}
	if s, err := UnmarshalSignature(nil); err != nil || s != nil {
		t.Errorf("UnmarshalSignature(nil) = %v, %v; want nil, nil", s, err)
	}
	if Signature(nil).Marshal() != nil {
		t.Errorf("nil signature marshals to bytes")
	}
}

func TestSign(t *testing.T) {
	text := fixture(t, "original.txt")
	def := DefaultConfig()
	tests := []struct {
		name string
		cfg  Config
		want int // MinHash values
	}{
		{"default", def, def.Hashes},
		{"zero config uses defaults", Config{}, defaultHashes},
		{"too few hashes clamped", Config{Hashes: 1}, 4},
		{"too many hashes clamped", Config{Hashes: 1 << 20}, maxHashes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sig := tt.cfg.Sign(text)
			if !sig.valid() {
				t.Fatalf("invalid signature header %#x", sig[0])
			}
			if n := len(sig.mins()); n != tt.want {
				t.Errorf("%d MinHash values, want %d", n, tt.want)
			}
			if again := tt.cfg.Sign(text); !slices.Equal(sig, again) {
				t.Errorf("Sign is not deterministic")
			}
		})
	}
}

func TestSignScripts(t *testing.T) {
	cfg := DefaultConfig()
	// Texts without spaces still shingle: a lightly edited copy matches.
	a := "市议会周一宣布，由于工程师在例行检查中发现两根钢梁出现裂缝，河上的大桥将至少关闭六周。\n\n市长表示，这一决定是为了保障市民安全。"
	b := "本报讯 " + a + "\n\n分享本文"
	c := "一场暴雨导致城市南部多条道路积水，交通部门建议司机绕行。"
	ix := NewIndex(cfg)
	ix.Add("a", cfg.Sign(a))
	if id, _, ok := ix.Match(cfg.Sign(b)); !ok || id != "a" {
		t.Errorf("Chinese copy: Match = %q, %v; want a", id, ok)
	}
	if id, _, ok := ix.Match(cfg.Sign(c)); ok {
		t.Errorf("unrelated Chinese text matched %q", id)
	}
	if Fingerprint("Ａｂｃ，ｄｅｆ") != Fingerprint("abc def") {
		t.Errorf("full-width text and ASCII fingerprints differ")
	}
	for _, s := range []string{"\xff\xfe\x00bad", "e\u0301te\u0301", strings.Repeat("'", 100), "a'"} {
		_ = Fingerprint(s)
		if sig := cfg.Sign(s); !sig.valid() {
			t.Errorf("Sign(%q) gave an invalid signature", s)
		}
	}
}

func TestBanding(t *testing.T) {
	tests := []struct {
		name     string
		cfg      Config
		wantRows int
	}{
		{"default", DefaultConfig(), 2},
		{"Jaccard only at 0.5", Config{Threshold: 0.5, Hashes: 128}, 3},
		{"Jaccard only at 0.8", Config{Threshold: 0.8, Hashes: 128}, 6},
		{"few hashes", Config{Threshold: 0.5, Hashes: 4}, 1},
		{"threshold zero", Config{Hashes: 128}, 1},
	}
	for _, tt := range tests {
		ix := NewIndex(tt.cfg)
		if ix.rows != tt.wantRows || ix.bands != ix.cfg.Hashes/ix.rows {
			t.Errorf("%s: %d rows × %d bands, want %d rows", tt.name, ix.rows, ix.bands, tt.wantRows)
		}
	}
}

func TestParaShare(t *testing.T) {
	tests := []struct {
		name string
		a, b []uint32
		want float64
	}{
		{"cut copy keeps the top", []uint32{1, 2, 3}, []uint32{1, 2, 3, 4, 5, 6}, 1},
		{"swapped and inserted", []uint32{1, 3, 2, 4}, []uint32{1, 9, 2, 3, 4}, 1},
		{"shared passage elsewhere", []uint32{7, 8}, []uint32{1, 2, 3, 4, 7, 8}, 0},
		{"half kept", []uint32{1, 2, 5, 6}, []uint32{1, 2, 3, 4}, 0.5},
	}
	for _, tt := range tests {
		if got := paraShare(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: paraShare = %v, want %v", tt.name, got, tt.want)
		}
		if got := paraShare(tt.b, tt.a); got != tt.want {
			t.Errorf("%s: paraShare is not symmetric: %v", tt.name, got)
		}
	}
}

func FuzzUnmarshalSignature(f *testing.F) {
	cfg := DefaultConfig()
	f.Add(cfg.Sign("The bridge will close for six weeks after engineers found cracks.").Marshal())
	f.Add(cfg.Sign("").Marshal())
	f.Add([]byte{})
	f.Add([]byte{wireVersion, 1, 2, 3})
	f.Add(bytes.Repeat([]byte{0xff}, 41))
	ix := NewIndex(cfg)
	ix.Add("seed", cfg.Sign("The bridge will close for six weeks after engineers found cracks."))
	f.Fuzz(func(t *testing.T, b []byte) {
		sig, err := UnmarshalSignature(b)
		if err != nil {
			return
		}
		if len(b) > 0 && !bytes.Equal(sig.Marshal(), b) {
			t.Fatalf("Marshal does not reproduce the accepted input")
		}
		ix.Match(sig)
		NewIndex(cfg).Add("x", sig)
	})
}

func FuzzSign(f *testing.F) {
	f.Add("Bridge to close | Tribune", "The bridge will close.\n\nShare this article")
	f.Add("", "“Quoted” — text’s here\u2028next line")
	f.Add("By Staff", "\xff\xfe invalid \x00 bytes")
	f.Add("PELL (Wire) - 市议会", "市议会周一宣布")
	cfg := DefaultConfig()
	ix := NewIndex(cfg)
	ix.Add("seed", cfg.SignArticle("Bridge to close", "The bridge will close for six weeks after engineers found cracks."))
	f.Fuzz(func(t *testing.T, title, text string) {
		sig := cfg.SignArticle(title, text)
		if !sig.valid() {
			t.Fatalf("invalid signature for %q, %q", title, text)
		}
		got, err := UnmarshalSignature(sig.Marshal())
		if err != nil || !slices.Equal(got, sig) {
			t.Fatalf("round trip: %v", err)
		}
		if Fingerprint(text) != Fingerprint(text+" \n") {
			t.Fatalf("trailing whitespace changed the fingerprint")
		}
		ix.MatchAll(sig)
	})
}

func FuzzHeadline(f *testing.F) {
	for _, s := range []string{"Bridge to close | Tribune", "PELL RIVER (Wire) - Bridge", "By Staff", "A - (", "X (", "(Y) - z", "É (Ä) — ö"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, title string) {
		h := headline(title)
		if !strings.Contains(title, h) {
			t.Fatalf("headline(%q) = %q, not part of the title", title, h)
		}
	})
}
