package clean

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// class is the first, context-free verdict on a line.
type class int

const (
	neutral class = iota
	good
	bad
)

// feat holds what the classifier knows about one line.
type feat struct {
	text     string
	words    float64 // whitespace words, CJK characters counted as ~half-words
	terminal bool    // ends like a sentence
	upper    bool    // starts with an uppercase letter, digit or quote
	nav      int     // navigation/widget vocabulary hits
	crumb    bool    // breadcrumb or menu separators
	symbols  float64 // share of runes that are digits or symbols
	kind     Kind    // for lines removed by rule
	rule     bool    // a rule decided the line (byline, caption, title, ...)
	cls      class
	pointer  bool    // a "read more:" teaser
	stop     float64 // share of words that are stopwords
	weak     bool    // bad only for being very short
	across   bool    // furniture seen across many documents
	strong   bool    // bad by the lexicon or by memory, not by shape alone
}

// normLine maps Unicode spaces to ASCII space, collapses runs and trims, so
// lines made of no-break spaces vanish. Quote marks are left untouched.
func normLine(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r != ' ' && unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' }) && !strings.Contains(s, "  ") {
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if r == utf8.RuneError {
			b.WriteRune(r)
			space = false
			continue
		}
		if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// splitLines returns the non-empty normalised lines of raw.
func splitLines(raw string) []string {
	var out []string
	for _, l := range strings.Split(raw, "\n") {
		if l = normLine(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Thai)
}

// navWords are navigation, widget and footer words in the languages the
// crawl meets most. Matched as whole lowercase words or phrases.
var navWords = []string{
	// English
	"login", "log in", "log out", "sign in", "sign up", "signup", "register", "subscribe", "subscription", "newsletter",
	"share", "shares", "tweet", "facebook", "twitter", "whatsapp", "linkedin", "pinterest", "instagram", "youtube", "telegram", "reddit",
	"email", "e-mail", "print", "comment", "comments", "reply", "cookie", "cookies", "privacy", "terms", "menu", "search",
	"home", "skip to", "read more", "more", "next", "previous", "prev", "related", "previous article", "next article", "advertisement", "advertising", "sponsored",
	"copyright", "all rights reserved", "contact us", "about us", "sitemap", "rss", "follow us", "back to top", "click here",
	"download", "watch", "video", "photos", "gallery", "tags", "topics", "categories", "archive", "account", "password",
	"loading", "trending", "most read", "popular", "recommended", "you may also like", "see also", "also read", "read also",
	"you might also like", "das könnte sie auch interessieren", "about the author", "über den autor", "faq", "help", "feedback", "imprint", "jobs", "careers", "shop", "app", "apps", "podcast", "podcasts", "icon",
	// German
	"anmelden", "abmelden", "registrieren", "abonnieren", "abo", "teilen", "drucken", "kommentare", "kommentar", "datenschutz",
	"impressum", "suche", "suchen", "weiterlesen", "mehr", "startseite", "zurück", "weiter", "anzeige", "werbung", "kontakt",
	"kommentieren", "das könnte dich auch interessieren", "vorheriger artikel", "nächster artikel",
	// French
	"partager", "connexion", "s'abonner", "abonnez-vous", "commentaires", "lire aussi", "lire la suite", "imprimer", "accueil",
	"rechercher", "publicité", "mentions légales", "se connecter", "article suivant", "article précédent", "vous aimerez aussi",
	// Spanish / Portuguese / Italian
	"compartir", "suscríbete", "comentarios", "lea también", "lea más", "iniciar sesión", "inicio", "buscar", "publicidad",
	"le puede interesar", "te puede interesar", "síguenos",
	"compartilhar", "assine", "entrar", "leia mais", "condividi", "accedi", "commenti", "cerca", "leggi anche", "pubblicità",
	// Polish / Dutch / Russian
	"udostępnij", "zaloguj", "komentarze", "szukaj", "czytaj więcej", "reklama", "delen", "inloggen", "reacties", "zoeken",
	"поделиться", "войти", "комментарии", "поиск", "реклама", "подписаться",
	// Finnish / Chinese
	"lue myös", "kommentit", "jaa", "关注", "分享", "评论", "返回顶部",
}

// pointerHeads start teaser lines that point to another article ("Read more: …").
var pointerHeads = map[string]bool{
	"also": true, "see": true, "read": true, "watch": true, "listen": true, "more on this": true, "further reading": true,
	"auch interessant": true, "mehr zum thema": true, "lesen sie auch": true, "vea también": true, "lea": true, "mira": true,
	"ver más": true, "leia também": true, "veja também": true, "veja": true, "leia mais": true, "siehe auch": true, "voir aussi": true, "à lire aussi": true, "leggi": true, "czytaj też": true,
	"zobacz też": true, "lees ook": true, "читайте также": true, "le puede interesar": true, "te puede interesar": true,
	"lue myös": true, "czytaj także": true, "zobacz także": true, "related": true,
}

var navSet = func() map[string]bool {
	m := make(map[string]bool, len(navWords))
	for _, w := range navWords {
		m[w] = true
	}
	return m
}()

var (
	reByline    = regexp.MustCompile(`^(?i:by|von|par|por|door|di|av|af|from|text|texte|autor|author|auteur|reporter|written by)\s*[:\-]?\s+\p{Lu}`)
	reBylineLow = regexp.MustCompile(`^(?i:by|von|par|por)\s+\p{Lu}[\p{L}.'\-]+(\s+\p{Lu}[\p{L}.'\-]+){0,3}\s*$`)
	rePosted    = regexp.MustCompile(`^(?i:posted|published|updated|last updated|last modified|first published|veröffentlicht|aktualisiert|stand|publié|mis à jour|publicado|actualizado|pubblicato|aggiornato|opublikowano|gepubliceerd|date|dated)\b`)
	reEmail     = regexp.MustCompile(`[\w.+\-]+@[\w\-]+\.[\w.\-]+`)
	reDateTok   = regexp.MustCompile(`(?i)\b(\d{1,4}[./\-]\d{1,2}([./\-]\d{1,4})?|\d{1,2}:\d{2}(:\d{2})?|\d{1,4}(st|nd|rd|th)?|jan(uary|vier|uar)?|feb(ruary|ruar)?|févr(ier)?|mar(ch|s|z)?|märz|apr(il)?|avr(il)?|may|mai|mayo|jun(e|i)?|juin|jul(y|i)?|juil(let)?|aug(ust)?|août|sep(t|tember|tembre)?|oct(ober|obre)?|okt(ober)?|nov(ember|embre)?|dec(ember)?|dez(ember)?|déc(embre)?|mon(day)?|tue(s|sday)?|wed(nesday)?|thu(rs|rsday)?|fri(day)?|sat(urday)?|sun(day)?|am|pm|a\.m\.|p\.m\.|utc|gmt|kst|est|edt|cet|cest|pst|pdt|bst|ist|uhr|h)\b\.?`)
	reCapBrack  = regexp.MustCompile(`\[[^\[\]]{2,60}\]\s*$`)
	reCapParen  = regexp.MustCompile(`(?i)\((photo|foto|image|picture|pic|bild|illustration|credit|credits|file photo|afp photo|ap photo|reuters photo|getty|quelle:|source:|fuente:|fonte:|źródło:)[^()]{0,80}\)\.?\s*$`)
	reCapSlash  = regexp.MustCompile(`(?i)(/|\|)\s*(getty images|afp|ap|reuters|epa|shutterstock|istock|imago|dpa|picture alliance|alamy|xinhua|yonhap|bloomberg|anadolu)\b[^/]{0,40}$`)
	reCapStart  = regexp.MustCompile(`(?i)^\(?(photo|photos|foto|fotos|image|picture|bild|bilder|credit|credits|photograph|illustration|abbildung|kuva|zdjęcie|fot|quelle|source|fuente|fonte|źródło)\s*(by|:|credit|von|de|©)`)
	reCapEnd    = regexp.MustCompile(`(?i)[,;(]\s*(photo|foto|bild|kuva|image)\s*:?\)?\s*$`)
	// reCapMid: "<what the picture shows>, photo: <credit>".
	reCapMid = regexp.MustCompile(`(?i)[,;|]\s*(photo|photos|foto|fotos|bild|image|crédit|credit)\s*:\s*[^.!?]{2,60}$`)
	// reSiteNotice matches what the site says about the reader or the
	// post rather than the news: sign-up consent, blog-engine footers,
	// newsletter pitches.
	// reCommentCount heads a comment section ("12 responses to …", "Comments (3)").
	reCommentCount = regexp.MustCompile(`(?i)(^\d+\s+(responses?|comments?|replies|reactions|kommentare|ergänzungen|commentaires|réactions|comentarios|respuestas|commenti|komentarzy?)\b|\b(responses|comments|replies|reactions|kommentare|commentaires|réactions|comentarios|commenti|komentarze)\s*\(\d+\)\s*$)`)
	// reEnlarge is an image widget's label ("Enlarge", "click to enlarge").
	reEnlarge = regexp.MustCompile(`(?i)(^(vergrößern|enlarge|agrandir|ampliar|ingrandisci|powiększ)\b|\b(click|tap) to enlarge\b|\bzum vergrößern\b)`)
	// reTags is a list of the post's tags.
	reTags       = regexp.MustCompile(`(?i)^(tags|tagged|tagged with|getaggt mit|schlagwörter|schlagworte|étiquettes|etiquetas|tag)\s*:`)
	reSiteNotice = regexp.MustCompile(`(?i)(\bthis entry was posted in\b|\bdieser eintrag wurde (am .{0,30})?veröffentlicht\b|\bbookmark the permalink\b|\b(straight|delivered) to your inbox\b)`)
	// rePrivacy and reConsentTo make a sign-up notice together: the site's
	// privacy terms and the reader agreeing to them.
	rePrivacy   = regexp.MustCompile(`(?i)(privacy policy|datenschutzerklärung|datenschutzbestimmungen|politique de confidentialité|política de privacidad|informativa sulla privacy)`)
	reConsentTo = regexp.MustCompile(`(?i)(\byou (agree|accept|consent)|\bi (agree|accept|consent)|\b(ich bin|bin ich)\b.*\beinverstanden|\bakzeptieren sie\b|\bstimmen sie\b|\bvous acceptez\b|\bj'accepte\b|\bacepto\b|\baceptas\b|\baccetto\b)`)
	reCopyright = regexp.MustCompile(`(?i)(^©|^\(c\)|copyright|all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|©\s*\d{4}|\d{4}\s*©)`)
	reCopyYear  = regexp.MustCompile(`©\s*\d{4}|\d{4}\s*©|^©`)
	// reConsent matches the site's own notices: cookie banners and terms
	// prompts, which read like sentences but are about the page, not the news.
	reConsent = regexp.MustCompile(`(?i)(\bwe use cookies\b|\b(site|website|page) uses cookies\b|\bcookie (policy|settings|preferences)\b|\bby (continuing to (browse|use)|using) (this|our) (site|website)\b|\byou (agree|accept|consent) to (our|the) (use of cookies|cookie|terms|privacy)|\bverwendet cookies\b|\bwir verwenden cookies\b|\butilise des cookies\b|\butilizamos cookies\b|\butiliza cookies\b|\butilizziamo (i )?cookie\b|\bużywa(my)? plików cookie)`)
	reCrumb   = regexp.MustCompile(`\s(>|»|›|\||/|·|•|–)\s`)
)

// lineFeatures computes the context-free features of l.
func lineFeatures(l string) feat {
	f := feat{text: l}
	fields := strings.Fields(l)
	cjk, letters, sym, total := 0, 0, 0, 0
	for _, r := range l {
		if r == ' ' {
			continue
		}
		total++
		switch {
		case isCJK(r):
			cjk++
			letters++
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r), unicode.IsSymbol(r):
			sym++
		}
	}
	f.words = float64(len(fields))
	if cjk > 0 {
		// A CJK line has few spaces: count characters as words, scaled.
		f.words = float64(len(fields)-1) + float64(cjk)/2
		if f.words < 1 {
			f.words = 1
		}
	}
	if total > 0 {
		f.symbols = float64(sym) / float64(total)
	}
	last, _ := utf8.DecodeLastRuneInString(strings.TrimRight(l, `"'”’»)]*`))
	switch last {
	case '.', '!', '?', '。', '！', '？', '…', ':', ';', '؟', '۔', '।':
		f.terminal = true
	}
	first, _ := utf8.DecodeRuneInString(l)
	f.upper = unicode.IsUpper(first) || unicode.IsDigit(first) || strings.ContainsRune(`"'“‘«„-–—(`, first) || isCJK(first) || (unicode.IsLetter(first) && !unicode.IsLower(first))
	lower := strings.ToLower(l)
	// Count navigation words over words and two-word phrases.
	lw := strings.FieldsFunc(lower, func(r rune) bool {
		return !(unicode.IsLetter(r) || r == '\'' || r == '-' || unicode.IsDigit(r))
	})
	if navSet[strings.Join(lw, " ")] && len(lw) > 3 {
		f.nav++ // a whole widget heading ("you might also like")
	}
	sw := 0
	for i, w := range lw {
		if stopwords[w] {
			sw++
		}
		if navSet[w] {
			f.nav++
		}
		if i+1 < len(lw) && navSet[w+" "+lw[i+1]] {
			f.nav++
		}
		if i+2 < len(lw) && navSet[w+" "+lw[i+1]+" "+lw[i+2]] {
			f.nav++
		}
	}
	if len(lw) > 0 {
		f.stop = float64(sw) / float64(len(lw))
	}
	// "Read more: <headline>" and its kin point elsewhere.
	if head, _, ok := strings.Cut(lower, ":"); ok && len(strings.Fields(head)) <= 3 {
		hw := strings.Fields(head)
		for i := range hw {
			if a, b := strings.Join(hw[i:], " "), strings.Join(hw[:i+1], " "); navSet[a] || navSet[b] || pointerHeads[a] || pointerHeads[b] {
				f.pointer = true
			}
		}
	}
	// Arrows between a few words are a trail even once ("Site > Section").
	f.crumb = f.words <= 40 && len(reCrumb.FindAllStringIndex(l, 3)) >= 2 || f.words <= 8 && (strings.Contains(l, "»") || strings.Contains(l, " > ") || strings.Contains(l, " › ")) ||
		f.words <= 12 && strings.Count(l, "|") >= 2 // "Start|Section|Page" runs its items together
	return f
}

// ruleKind decides lines that a rule names outright (bylines, captions,
// copyright footers). ok is false when no rule applies.
func ruleKind(f feat, next string) (Kind, bool) {
	l := f.text
	short := f.words <= 14
	// End-anchored patterns need only the line's tail; scanning whole long
	// lines from every position is what made them slow.
	tail := l
	if len(tail) > 240 {
		cut := len(tail) - 240
		for cut < len(tail) && !utf8.RuneStart(tail[cut]) {
			cut++
		}
		tail = tail[cut:]
	}
	hasAt := strings.Contains(l, "@")
	// Unanchored patterns are slow on every line: a cheap look for their
	// key words first.
	lower := strings.ToLower(l)
	hasAny := func(keys ...string) bool {
		for _, k := range keys {
			if strings.Contains(lower, k) {
				return true
			}
		}
		return false
	}
	if f.words <= 60 && hasAny("cookie", "continuing", "by using", "you agree", "you accept", "you consent") && reConsent.MatchString(l) {
		return Furniture, true
	}
	if f.words <= 30 && copyrightish(l) && reCopyright.MatchString(l) {
		if strings.Contains(l, "©") && !reCopyright.MatchString(strings.ReplaceAll(l, "©", "")) && !reCopyYear.MatchString(l) && f.words <= 25 {
			return Caption, true // "… © Photographer" credits a picture
		}
		return Furniture, true
	}
	if f.words <= 25 && !f.terminal {
		// "… © Photographer": a short credit after the last ©.
		if at := strings.LastIndex(l, "©"); at > 0 {
			if n := len(strings.Fields(l[at+len("©"):])); n >= 1 && n <= 6 {
				return Caption, true
			}
		}
	}
	if f.words <= 40 && hasAny("enlarge", "vergrößern", "agrandir", "ampliar", "ingrandisci", "powiększ") && reEnlarge.MatchString(l) {
		return Caption, true
	}
	if f.words <= 10 && !f.terminal && reCommentCount.MatchString(l) || f.words <= 30 && reTags.MatchString(l) {
		return Furniture, true
	}
	if f.words <= 60 && (hasAny("posted in", "veröffentlicht", "permalink", "inbox") && reSiteNotice.MatchString(l) ||
		hasAny("privacy", "datenschutz", "confidentialité", "privacidad") && rePrivacy.MatchString(l) && reConsentTo.MatchString(l)) {
		return Furniture, true
	}
	if short && hasAt && reEmail.MatchString(l) && !f.terminal {
		return Byline, true
	}
	if f.words <= 12 && (reBylineLow.MatchString(l) || reByline.MatchString(l) && (!f.terminal || f.words <= 6 || strings.Contains(strings.ToLower(l), "publish"))) {
		return Byline, true
	}
	if f.words <= 12 && rePosted.MatchString(l) && hasDate(l) {
		return Byline, true
	}
	if f.words <= 10 && dateOnly(l) {
		return Byline, true
	}
	if f.words <= 40 && (reCapParen.MatchString(tail) || reCapSlash.MatchString(tail) && !f.terminal || reCapStart.MatchString(l) && f.words <= 25 || reCapEnd.MatchString(tail) || f.words <= 25 && strings.Contains(tail, ":") && reCapMid.MatchString(tail)) {
		return Caption, true
	}
	if f.words <= 40 && strings.HasSuffix(strings.TrimSpace(tail), "]") && reCapBrack.MatchString(tail) {
		// A bracketed credit after a non-sentence, or in capitals, is a photo credit.
		m := reCapBrack.FindString(tail)
		inner := strings.Trim(strings.TrimSpace(m), "[]")
		before := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(l), strings.TrimSpace(m)))
		lb, _ := utf8.DecodeLastRuneInString(before)
		if before != "" && (strings.ToUpper(inner) == inner && hasLetter(inner) || !strings.ContainsRune(".!?", lb) || reCapStart.MatchString(inner)) && !strings.Contains(inner, "@") {
			return Caption, true
		}
	}
	if next == l && !f.terminal && f.words >= 3 && f.words <= 40 {
		return Caption, true // a short non-sentence printed twice in a row: a caption
	}
	return 0, false
}

// copyrightish is a cheap prefilter for reCopyright.
func copyrightish(l string) bool {
	if strings.Contains(l, "©") || strings.HasPrefix(l, "(") {
		return true
	}
	lower := strings.ToLower(l)
	for _, w := range []string{"copyright", "rights reserved", "rechte vorbehalten", "droits réservés", "derechos reservados"} {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

func hasLetter(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}

func hasDate(l string) bool {
	return reDateTok.MatchString(l) && strings.IndexFunc(l, unicode.IsDigit) >= 0
}

// dateOnly reports a line that is little but a date or time.
func dateOnly(l string) bool {
	if strings.IndexFunc(l, unicode.IsDigit) < 0 {
		return false
	}
	rest := reDateTok.ReplaceAllString(l, "")
	n := 0
	for _, r := range rest {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n <= 3 && len(reDateTok.FindAllString(l, -1)) >= 2
}

// classify gives the context-free verdict.
func classify(f *feat, pr params, prose bool, across bool) {
	w := f.words
	switch {
	case across:
		f.cls, f.strong = bad, true
	case f.pointer && w <= 30:
		f.cls, f.strong = bad, true
	case f.crumb && w <= 25:
		f.cls, f.strong = bad, true
	case f.nav > 0 && w <= 6:
		f.cls, f.strong = bad, true
	case f.nav >= 2 && float64(f.nav) >= w/4 && !f.terminal:
		f.cls, f.strong = bad, true
	case f.symbols > 0.4 && w <= 20:
		f.cls = bad
	case w <= 2 && !f.terminal:
		f.cls, f.weak = bad, true
	case w >= pr.goodWords && (!prose || f.stop >= pr.swLong):
		f.cls = good
	case prose && w >= pr.goodWordsTerminal && f.stop >= pr.swMid:
		f.cls = good
	case w >= pr.goodWordsTerminal && f.terminal && f.upper:
		f.cls = good
	default:
		f.cls = neutral
	}
}
