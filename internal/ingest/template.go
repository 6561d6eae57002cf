package ingest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/dossiernews/dossier/internal/clean"
	"github.com/dossiernews/dossier/internal/source"
	"github.com/dossiernews/dossier/internal/store"
)

// An outlet's template is learned from its stored pages at the rounds of
// a run (every CompareEvery committed articles, counted in input order,
// and at its end), applied to its pages as they are committed, and its
// stored pages cleaned again when it changes. Rounds fall at the same
// articles whatever the number of workers or batches, so the stores do
// not depend on them.

// templatePages bounds the pages a template is learned from: the
// outlet's newest, as sites change their furniture.
const templatePages = 1000

// templateMinPages is the fewest pages worth learning from: fewer cannot
// hold the stories a template line needs (see clean.LearnTemplate).
const templateMinPages = 3

// templateRelearn: an outlet's template is learned again once the outlet
// got a tenth as many articles as it was learned from, so that learning
// reads at most about ten stored pages per new article however often
// rounds come (a watch polling every few minutes).
const templateRelearn = 10

// loadTemplates reads the stored templates, and how many articles were
// committed since the last round.
func (in *Ingester) loadTemplates(ctx context.Context) error {
	counts, err := in.st.Taught(ctx)
	if err != nil {
		return fmt.Errorf("templates: %w", err)
	}
	in.sinceRound = 0
	for _, n := range counts {
		in.sinceRound += n
	}
	ts, err := in.st.Templates(ctx)
	if err != nil {
		return fmt.Errorf("templates: %w", err)
	}
	in.templates = make(map[string]*clean.Template, len(ts))
	in.learned = make(map[string]store.Template, len(ts))
	for _, t := range ts {
		tmpl := clean.LoadTemplate(t.Lines)
		in.templates[t.Outlet] = &tmpl
		in.learned[t.Outlet] = t
	}
	return nil
}

// strip takes a template's lines out of a text's paragraphs, unless
// nothing would be left.
func strip(t *clean.Template, paragraphs []string) (kept []string, removed []store.RemovedParagraph) {
	if t == nil || len(t.Lines) == 0 {
		return paragraphs, nil
	}
	for i, p := range paragraphs {
		if t.Furniture(p) {
			removed = append(removed, store.RemovedParagraph{Index: i, Text: p})
		} else {
			kept = append(kept, p)
		}
	}
	if len(kept) == 0 {
		return paragraphs, nil
	}
	return kept, removed
}

// restore is an article's paragraphs as cleaned before any template: its
// text's with those the template took put back in their places.
func restore(text string, f store.Furniture) []string {
	kept := strings.Split(text, "\n\n")
	if len(f.Removed) == 0 {
		return kept
	}
	rm := f.InOrder()
	out := make([]string, 0, len(kept)+len(rm))
	k := 0
	for _, r := range rm {
		for len(out) < r.Index && k < len(kept) {
			out = append(out, kept[k])
			k++
		}
		out = append(out, r.Text)
	}
	return append(out, kept[k:]...)
}

// furnish takes the furniture of its outlet's current template out of a
// prepared article, deriving again what depends on the text when any
// leaves, and returns what left.
func (in *Ingester) furnish(p *prepared) store.Furniture {
	t := in.templates[p.article.Outlet]
	if t == nil || len(t.Lines) == 0 {
		return store.Furniture{}
	}
	kept, removed := strip(t, strings.Split(p.article.Text, "\n\n"))
	if len(removed) == 0 {
		return store.Furniture{}
	}
	p.article.Text = strings.Join(kept, "\n\n")
	p.sig, p.feat = in.prep.derive(&p.article)
	return store.Furniture{Version: t.Version, Removed: removed}
}

// taught notes an outlet that got an article (counts go to the store
// with the commit, see flushState), and runs a round of learning when
// CompareEvery articles were committed since the last.
func (in *Ingester) taught(ctx context.Context, outlet string, sum *Summary, touched map[string]bool) error {
	in.teach[outlet]++
	if in.sinceRound++; in.sinceRound < in.roundEvery {
		return nil
	}
	return in.templateRound(ctx, sum, touched)
}

// templateRound learns again the template of every outlet that got
// articles since the last round, in outlet order. The outlets are the
// store's, so that those of a run killed before its round are not lost.
func (in *Ingester) templateRound(ctx context.Context, sum *Summary, touched map[string]bool) error {
	if err := in.st.AddTaught(ctx, in.teach); err != nil {
		return err
	}
	in.teach = map[string]int{}
	counts, err := in.st.Taught(ctx)
	if err != nil {
		return err
	}
	if err := in.st.ClearTaught(ctx); err != nil {
		return err
	}
	in.sinceRound = 0
	for _, o := range slices.Sorted(maps.Keys(counts)) {
		if o == "" {
			continue
		}
		if row, ok := in.learned[o]; ok {
			if row.Fresh += counts[o]; row.Fresh*templateRelearn < row.Pages {
				if err := in.st.PutTemplate(ctx, row); err != nil {
					return fmt.Errorf("template of %s: %w", o, err)
				}
				in.learned[o] = row
				continue
			}
		}
		if err := in.learn(ctx, o, sum, touched); err != nil {
			return fmt.Errorf("template of %s: %w", o, err)
		}
	}
	return nil
}

// learn learns an outlet's template from its newest pages, each as
// cleaned before any template and in its current story, and stores it;
// when its lines changed, the outlet's stored pages are cleaned again.
func (in *Ingester) learn(ctx context.Context, outlet string, sum *Summary, touched map[string]bool) error {
	old, ok := in.learned[outlet]
	stored, err := in.st.OutletPages(ctx, outlet, templatePages)
	if err != nil {
		return err
	}
	if !ok && len(stored) < templateMinPages {
		return nil
	}
	pages := make([]clean.TemplatePage, 0, len(stored))
	for _, p := range stored {
		pages = append(pages, clean.ParagraphPage(p.StoryID, restore(p.Text, p.Furniture)))
	}
	t := clean.LearnTemplate(pages)
	row := store.Template{Outlet: outlet, Lines: t.Lines, Version: t.Version, LearnedAt: in.cfg.Now().UTC(), Pages: len(pages)}
	if err := in.st.PutTemplate(ctx, row); err != nil {
		return err
	}
	in.learned[outlet] = row
	if !ok {
		old.Version = clean.LoadTemplate(nil).Version // none is no lines
	}
	if old.Version == t.Version {
		return nil
	}
	in.templates[outlet] = &t
	in.log.Debug("learned a template", "outlet", outlet, "lines", len(t.Lines), "version", t.Version, "pages", len(pages))
	return in.reclean(ctx, outlet, &t, sum, touched)
}

// reclean cleans again, oldest first, each stored article of an outlet
// whose text a new template changes: through commit, as a re-ingest of
// changed content, with a trace of what left and what came back.
func (in *Ingester) reclean(ctx context.Context, outlet string, t *clean.Template, sum *Summary, touched map[string]bool) error {
	ids, err := in.st.OutletArticles(ctx, outlet, 0)
	if err != nil {
		return err
	}
	slices.Reverse(ids)
	for _, id := range ids {
		a, sv, err := in.load(ctx, id)
		if err != nil {
			return err
		}
		paragraphs := restore(a.Text, sv.Furniture)
		_, removed := strip(t, paragraphs)
		left, back := furnitureChange(sv.Furniture.Removed, removed)
		if left == 0 && back == 0 {
			continue
		}
		p := prepared{doc: source.Document{Source: a.Source, Key: sv.SourceKey}, digest: sv.Digest, article: a}
		p.article.Text = strings.Join(paragraphs, "\n\n")
		if len(removed) == 0 {
			p.sig, p.feat = in.prep.derive(&p.article)
		} // else commit's furnish derives from what is left
		if _, err := in.commit(ctx, &p, sum, touched); err != nil {
			return fmt.Errorf("clean %s again: %w", id, err)
		}
		if err := in.st.AddReclean(ctx, store.Reclean{Article: id, At: in.cfg.Now().UTC(), Version: t.Version,
			Removed: left, Restored: back}); err != nil {
			return err
		}
		sum.Recleaned++
	}
	return nil
}

// furnitureChange counts the paragraphs of now that before did not take
// out (they leave) and those of before that now keeps (they come back).
func furnitureChange(before, now []store.RemovedParagraph) (left, back int) {
	was := map[int]bool{}
	for _, r := range before {
		was[r.Index] = true
	}
	is := map[int]bool{}
	for _, r := range now {
		is[r.Index] = true
		if !was[r.Index] {
			left++
		}
	}
	for _, r := range before {
		if !is[r.Index] {
			back++
		}
	}
	return left, back
}
