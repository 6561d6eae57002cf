package describe

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// byline is what one byline line says: people, agencies, other organisations,
// e-mail addresses, and the date text it carries.
type byline struct {
	names    []string
	agencies []agency
	orgs     []string
	emails   []string
	date     string // the date part, keyword included ("Published : Jan. 27, …")
}

var (
	reEmail = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
	// Keywords that introduce the date in a byline, in a few languages.
	reDateKeyword = regexp.MustCompile(`(?i)(first published|originally published|last updated|last modified|published|updated|posted|modified|veröffentlicht|aktualisiert|publié|mis à jour|publicado|actualizado|pubblicato|aggiornato)`)
	reByPrefix    = regexp.MustCompile(`(?i)^(?:(?:(?:written|reported|reporting|additional reporting|story|text|words|compiled|interview)\s+)?(?:by|von|par|por|door|av|af)\b|(?:author|autor|autorin|auteur|autrice|autore|verfasser|verfasserin)\b)[\s:]*`)
	reEmptyBrack  = regexp.MustCompile(`[\[(<{]\s*[\])>}]`)
	reNameSplit   = regexp.MustCompile(`\s*(?:[,;|/•·]|\s(?:and|And|AND|&|und|et|y|e|with|With|WITH)\s)\s*`)
	rePlaceTail   = regexp.MustCompile(`\s+(?:in|at|from|In|At|From)\s+\p{Lu}.*$`)
	reHasDigit    = regexp.MustCompile(`\d`)
	reTrailFiller = regexp.MustCompile(`(?i)(?:\s+(?:on|at|am|le|el|il|den|vom|posted|published))+\s*$`)
	// Honorifics are not part of the name a byline credits.
	reHonorific = regexp.MustCompile(`(?i)^(?:dr|prof|mr|mrs|ms|mx|sir|dame|rev|fr|herr|frau|mme|mlle)\.?\s+`)
)

// roleWords are job titles that follow names in bylines; they are dropped.
var roleWords = setOf("staff", "writer", "writers", "reporter", "reporters", "correspondent", "correspondents",
	"editor", "editors", "senior", "chief", "special", "contributing", "contributor", "columnist", "associate",
	"deputy", "managing", "political", "business", "sports", "foreign", "national", "diplomatic", "economics",
	"science", "health", "technology", "tech", "investigative", "digital", "news", "producer", "photographer",
	"intern", "bureau", "desk", "analyst", "journalist", "freelance", "guest", "international", "white", "house",
	"washington", "london", "affairs", "culture", "arts", "entertainment", "opinion", "and", "for", "the", "of",
	"our", "data", "video", "team", "staffer", "head", "director", "world", "europe", "asia", "energy", "markets")

// roleHeads are the nouns that end a job title.
var roleHeads = setOf("writer", "writers", "reporter", "reporters", "correspondent", "correspondents", "editor",
	"editors", "columnist", "contributor", "producer", "photographer", "intern", "journalist", "analyst", "staffer",
	"director", "staff", "chief", "reporting")

// collective are the words that credit a newsroom rather than a person.
var collective = setOf("staff", "desk", "team", "newsroom", "reporters", "redaktion", "rédaction", "redacción", "redazione")

// orgWords mark a byline piece as an organisation rather than a person.
var orgWords = setOf("the", "news", "agency", "press", "daily", "times", "media", "staff", "team", "desk", "newsroom",
	"online", "wire", "service", "services", "herald", "post", "journal", "tribune", "group", "network", "channel",
	"tv", "radio", "magazine", "com", "gazette", "telegraph", "guardian", "chronicle", "observer", "independent",
	"reports", "report", "editorial", "board", "ilbo", "shimbun", "zeitung", "bbc", "cnn", "associated", "sun", "mail",
	"express", "mirror", "star", "insider", "today", "weekly", "monthly", "review", "bulletin", "broadcasting",
	"corporation", "inc", "ltd", "llc", "company", "newspaper", "web", "site", "website", "blog", "admin", "administrator",
	"courier", "sentinel", "register", "dispatch", "examiner", "enquirer", "inquirer", "globe", "ledger", "monitor",
	"standard", "argus", "advocate", "clarion", "beacon", "messenger", "courant", "mercury", "statesman", "telegram",
	"recorder", "bulletin", "gazzetta", "zeitung", "allgemeine", "rundschau", "kurier", "anzeiger", "presse", "nachrichten",
	"noticias", "notícias", "notizie", "nouvelles", "actualités", "média", "médias", "medien", "diario", "periódico",
	"jornal", "revista", "rivista", "illustrierte", "verlag", "redaktion", "programme", "program", "international", "foundation",
	"stiftung", "verein", "institut", "institute", "university", "universität", "ministry", "ministerium")

// particles are lower-case parts of personal names.
var particles = setOf("van", "von", "de", "der", "den", "da", "di", "del", "della", "la", "le", "bin", "binti", "al", "ibn",
	"dos", "das", "du", "ten", "ter", "y", "zu", "st.")

// notNames are words that never belong to a name in a byline.
var notNames = setOf("by", "a", "an", "is", "are", "was", "were", "it", "this", "that", "in", "on", "at", "to", "from",
	"said", "says", "he", "she", "they", "we", "i", "you", "our", "my", "their", "his", "her", "its", "comments",
	"comment", "share", "follow", "email", "print", "updated", "published", "posted", "read", "more", "min", "minutes",
	"ago", "photo", "photos", "image", "credit", "getty", "images", "reuters", "afp", "ap", "epa", "via", "contact",
	"sign", "login", "log", "subscribe", "time", "when", "after", "before", "not", "no", "yes", "if", "but", "or",
	"null", "undefined", "none", "nan", "anonymous", "unknown", "redaktion", "rédaction", "redacción", "redazione",
	"sponsored", "gesponsert", "gesponserte", "inhalte", "content", "abgelegt", "unter", "diskutieren", "auf", "interview",
	"profile", "profil", "website", "homepage", "mehr", "alle", "all", "posts", "beiträge")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// parseByline reads one byline line. It never fails: what it cannot place is
// left out.
func parseByline(line string) byline {
	var b byline
	s := strings.Join(strings.FieldsFunc(line, isSpace), " ")
	if len(s) > 500 {
		s = s[:500]
	}
	for _, e := range reEmail.FindAllString(s, -1) {
		b.emails = append(b.emails, strings.ToLower(strings.Trim(e, ".")))
	}
	s = reEmail.ReplaceAllString(s, " ")
	s = reEmptyBrack.ReplaceAllString(s, " ")
	s = strings.ReplaceAll(s, "mailto:", " ")

	namePart := s
	if at, end := dateKeywordAt(s); at > 0 {
		namePart, b.date = s[:at], s[at:]
	} else if at == 0 {
		// "Posted by Jane Doe on March 3, 2014": the name follows the keyword.
		namePart, b.date = "", s
		if rest := strings.TrimSpace(s[end:]); reByPrefix.MatchString(rest) {
			namePart = rest
		}
	}
	if at := dateStartAt(namePart); at >= 0 {
		// The first date is the publication's, keyword or not.
		namePart, b.date = namePart[:at], strings.TrimSpace(namePart[at:]+" "+b.date)
	}
	namePart = reTrailFiller.ReplaceAllString(strings.TrimSpace(namePart), "")
	namePart = strings.TrimSpace(namePart)
	namePart = strings.Trim(namePart, " -–—|:•·,;")
	namePart = reByPrefix.ReplaceAllString(namePart, "")
	namePart = strings.Trim(namePart, " -–—|:•·,;")
	if namePart == "" {
		return b
	}
	if a, ok := agencyNamed(namePart); ok {
		b.agencies = append(b.agencies, a)
		return b
	}
	for _, piece := range reNameSplit.Split(namePart, -1) {
		b.classify(piece)
	}
	return b
}

// reNotAuthor opens a credit for work other than writing the story.
var reNotAuthor = regexp.MustCompile(`(?i)^(?:editing|edited|photos?|photography|graphics?|illustrations?|video|translated|translation|produced)\s+by\b`)

// classify files one comma- or "and"-separated piece of a byline.
func (b *byline) classify(piece string) {
	piece = strings.TrimSpace(strings.Trim(piece, " -–—|:•·,;.()[]\"'“”"))
	if reNotAuthor.MatchString(piece) {
		return
	}
	if h := reHonorific.FindString(piece); h != "" && len(strings.Fields(piece)) >= 3 {
		piece = piece[len(h):]
	}
	// "John Roe Associated Press": a name run into its agency.
	if i := strings.LastIndexByte(piece, ' '); i > 0 {
		for _, a := range agencies {
			for _, al := range a.aliases {
				if len(al) < len(piece) && strings.HasSuffix(piece, " "+al) {
					b.agencies = append(b.agencies, a)
					piece = strings.TrimSpace(strings.TrimSuffix(piece, al))
					break
				}
			}
		}
	}
	piece = reByPrefix.ReplaceAllString(piece, "")
	piece = rePlaceTail.ReplaceAllString(piece, "")
	if piece == "" {
		return
	}
	if a, ok := agencyNamed(piece); ok {
		b.agencies = append(b.agencies, a)
		return
	}
	words := strings.Fields(piece)
	// "By Harbor Gazette staff": a newsroom credits itself.
	if n := len(words); n >= 2 && collective[strings.ToLower(words[n-1])] {
		if org := strings.Join(words[:n-1], " "); !reHasDigit.MatchString(org) {
			b.orgs = append(b.orgs, org)
		}
		return
	}
	// Roles trail names ("Jane Doe Staff Writer") or stand alone; the words
	// before a role head ("White House") go with it.
	if len(words) > 0 && roleHeads[strings.ToLower(words[len(words)-1])] {
		words = words[:len(words)-1]
		for len(words) > 0 && (roleWords[strings.ToLower(words[len(words)-1])] || roleHeads[strings.ToLower(words[len(words)-1])]) {
			words = words[:len(words)-1]
		}
	}
	if len(words) == 0 {
		return
	}
	rest := strings.Join(words, " ")
	if a, ok := agencyNamed(rest); ok {
		b.agencies = append(b.agencies, a)
		return
	}
	if name, ok := personName(words); ok {
		b.names = append(b.names, name)
		return
	}
	if isOrgName(words) {
		b.orgs = append(b.orgs, rest)
	}
}

// personName returns words as a person's name in normal case, or false when
// they do not look like one.
func personName(words []string) (string, bool) {
	if n, ok := caselessName(words); ok {
		return n, true
	}
	if len(words) < 2 || len(words) > 5 {
		return "", false
	}
	if reHasDigit.MatchString(strings.Join(words, "")) {
		return "", false
	}
	upper, lower := true, true
	for _, w := range words {
		for _, r := range w {
			if unicode.IsLetter(r) {
				upper = upper && unicode.IsUpper(r)
				lower = lower && unicode.IsLower(r)
			}
		}
	}
	out := make([]string, 0, len(words))
	capitals := 0
	for i, w := range words {
		lw := strings.ToLower(w)
		if notNames[lw] || orgWords[lw] || roleHeads[lw] {
			return "", false
		}
		if upper || lower {
			if particles[lw] && i > 0 && i < len(words)-1 {
				w = lw
			} else {
				w = titleWord(w)
			}
		}
		first, _ := utf8.DecodeRuneInString(w)
		switch {
		case unicode.IsUpper(first):
			capitals++
		case particles[strings.ToLower(w)] && i < len(words)-1:
		default:
			return "", false
		}
		for _, r := range w {
			if !unicode.IsLetter(r) && !strings.ContainsRune(".'’-", r) {
				return "", false
			}
		}
		out = append(out, w)
	}
	if capitals < 2 {
		return "", false
	}
	return strings.Join(out, " "), true
}

// caselessName reads a name in a script without capitals (Hangul, Han,
// kana), written as one word or as family and given name: no capital can
// mark it, so its length does, that of the names of those languages.
func caselessName(words []string) (string, bool) {
	if len(words) > 0 {
		// A role written after the name: "… 기자", "…記者".
		last := words[len(words)-1]
		for _, role := range caselessRoles {
			if last == role {
				words = words[:len(words)-1]
				break
			}
			if t, ok := strings.CutSuffix(last, role); ok && utf8.RuneCountInString(t) >= 2 {
				words = append(words[:len(words)-1:len(words)-1], t)
				break
			}
		}
	}
	if len(words) == 0 || len(words) > 2 {
		return "", false
	}
	runes := 0
	for _, w := range words {
		for _, r := range w {
			if !unicode.In(r, unicode.Hangul, unicode.Han, unicode.Hiragana, unicode.Katakana) {
				return "", false
			}
			runes++
		}
	}
	if runes < 2 || runes > 6 {
		return "", false
	}
	return strings.Join(words, " "), true
}

// caselessRoles are reporters' roles written after a name in Korean,
// Japanese and Chinese bylines.
var caselessRoles = []string{"기자", "특파원", "통신원", "논설위원", "記者", "特派員", "特派员", "编辑", "編集委員", "记者", "通讯员"}

// isOrgName reports whether words read as an organisation's name.
func isOrgName(words []string) bool {
	if len(words) == 0 || len(words) > 7 {
		return false
	}
	first, _ := utf8.DecodeRuneInString(words[0])
	if !unicode.IsUpper(first) {
		return false
	}
	for _, w := range words {
		if orgWords[strings.ToLower(strings.Trim(w, ".,"))] {
			return true
		}
	}
	return false
}

// titleWord writes an all-caps or all-lower word in normal case, keeping
// hyphenated and apostrophe parts capitalised ("JEAN-PAUL" → "Jean-Paul").
func titleWord(w string) string {
	var sb strings.Builder
	start := true
	for _, r := range strings.ToLower(w) {
		if start && unicode.IsLetter(r) {
			sb.WriteRune(unicode.ToUpper(r))
			start = false
			continue
		}
		sb.WriteRune(r)
		if r == '-' || r == '\'' || r == '’' {
			start = true
		}
	}
	return sb.String()
}

// dateKeywordAt returns where a date keyword starts: at a word start, or
// glued to the end of a name ("By Jane DoePosted"), else -1.
func dateKeywordAt(s string) (start, end int) {
	for _, m := range reDateKeyword.FindAllStringIndex(s, -1) {
		if m[0] == 0 {
			return 0, m[1]
		}
		prev, _ := utf8.DecodeLastRuneInString(s[:m[0]])
		first, _ := utf8.DecodeRuneInString(s[m[0]:])
		if !unicode.IsLetter(prev) || (unicode.IsLower(prev) && unicode.IsUpper(first)) {
			return m[0], m[1]
		}
	}
	return -1, -1
}

// dateStartAt returns where a full date starts in s, or -1.
func dateStartAt(s string) int {
	best := -1
	for _, re := range []*regexp.Regexp{reYMD, reDMY, reDayMonYear, reMonDayYear} {
		for _, m := range re.FindAllStringSubmatchIndex(s, 3) {
			if re == reDayMonYear && monthNum(s[m[4]:m[5]]) == 0 || re == reMonDayYear && monthNum(s[m[2]:m[3]]) == 0 {
				continue
			}
			if best < 0 || m[0] < best {
				best = m[0]
			}
			break
		}
	}
	if best < 0 {
		return -1
	}
	// A weekday written before the date belongs to it.
	head := strings.TrimRight(s[:best], " ,")
	if i := strings.LastIndexAny(head, " ,|"); i >= 0 || head != "" {
		w := head[i+1:]
		if weekdays[strings.ToLower(strings.TrimSuffix(w, "."))] {
			return i + 1
		}
	}
	return best
}

// weekdays are day names and abbreviations, which a dateline may carry.
var weekdays = setOf("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
	"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
	"montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
	"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
	"lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")

func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u00a0' || r == '\u200b' || r == '\ufeff'
}

// splitPeople splits a stated author field ("A and B", "A, B") into people in
// normal case; agencies and organisations are returned apart.
// keepSingle keeps a one-word name, for fields a feed stated outright.
func splitPeople(s string, keepSingle bool) (names []string, ags []agency, orgs []string) {
	b := parseByline(s)
	if keepSingle && len(b.names) == 0 && len(b.agencies) == 0 && len(b.orgs) == 0 {
		// A stated single-word author (a pen name) is kept as given.
		w := strings.TrimSpace(reByPrefix.ReplaceAllString(strings.TrimSpace(s), ""))
		first, _ := utf8.DecodeRuneInString(w)
		if w != "" && unicode.IsUpper(first) && !strings.ContainsAny(w, "@/_") && len(strings.Fields(w)) == 1 && !notNames[strings.ToLower(w)] {
			return []string{w}, nil, nil
		}
	}
	return b.names, b.agencies, b.orgs
}

// maxAuthors bounds a byline: more names than this are a reference list or
// a page of contributors, and only the first is the article's.
const maxAuthors = 10

// notOutlet drops the names that spell the site's host ("Wien Orf" on
// wien.orf.at), and those that are its name or publisher when a person is
// credited beside them: a personal site is often named for its author. A
// list too long to be a byline is cut to its first name.
func notOutlet(names []string, outlet string, pi pageInfo, sitename, pageURL string) []string {
	own := []string{outlet, pi.siteName, pi.publisher, pi.appName, sitename}
	var host []string
	if h := strings.TrimPrefix(hostOf(pageURL), "www."); h != "" {
		host = append(host, squash(h))
		if i := strings.LastIndexByte(h, '.'); i > 0 {
			host = append(host, squash(h[:i]))
		}
	}
	var out, site, seen []string
	for _, n := range names {
		k := squash(n)
		switch {
		case slices.Contains(seen, k):
			// "Jo M. Roe" and "Jo M Roe" from two sources are one person.
		case slices.Contains(host, k):
		case namesOutlet(n, own):
			site = append(site, n)
		default:
			out = append(out, n)
		}
		seen = append(seen, k)
	}
	if len(out) == 0 {
		out = site
	}
	if len(out) > maxAuthors {
		out = out[:1]
	}
	return out
}
