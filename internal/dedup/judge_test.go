package dedup

import (
	"testing"
)

// TestJudgeShortcutExact: judge's early refusal never changes a verdict.
// Every pair among dev articles (copies, cuts, same-story reports and
// strangers) is judged with and without it.
func TestJudgeShortcutExact(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the dev set")
	}
	set := loadDedupDev(t)
	cfg := DefaultConfig().normalized()
	n := min(len(set.texts), 600)
	sigs := make([]Signature, n)
	for i := range n {
		sigs[i] = cfg.SignArticle(set.titles[i], set.texts[i])
	}
	short, judged := 0, 0
	for i := range n {
		for k := range n {
			if i == k {
				continue
			}
			j := estimate(sigs[i], sigs[k])
			if j <= 0 {
				continue
			}
			judged++
			gj, grel, gok := cfg.judge(sigs[i], sigs[k])
			wj, wrel, wok := cfg.verify(sigs[i], sigs[k], j)
			if gj != wj || grel != wrel || gok != wok {
				t.Fatalf("pair %d, %d: judge = %v %v %v, verify = %v %v %v", i, k, gj, grel, gok, wj, wrel, wok)
			}
			if !wok && wrel == Resembles {
				short++
			}
		}
	}
	if judged < 1000 {
		t.Errorf("only %d pairs judged: the test proves little", judged)
	}
	t.Logf("%d pairs judged, %d refused", judged, short)
}
