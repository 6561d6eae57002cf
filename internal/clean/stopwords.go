package clean

// stopwords are the commonest function words of the languages the crawl
// meets most: running prose is full of them, menus and link lists are not.
var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{
		// English
		"the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "from", "by", "is", "are", "was", "were", "be", "been",
		"has", "have", "had", "it", "its", "this", "that", "these", "those", "he", "she", "they", "we", "you", "i", "his", "her", "their", "our",
		"not", "as", "which", "who", "will", "would", "can", "could", "there", "if", "than", "then", "also", "into", "about", "after",
		// German
		"der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "und", "oder", "aber", "ist", "sind", "war", "wird",
		"werden", "hat", "haben", "nicht", "mit", "von", "zu", "im", "auf", "für", "sich", "auch", "es", "er", "sie", "wir", "ich", "dass", "als", "bei", "nach", "wie", "noch", "so",
		// French
		"le", "la", "les", "un", "une", "et", "ou", "mais", "de", "du", "au", "aux", "est", "sont", "était", "a", "ont", "pas", "ne", "que", "qui",
		"dans", "sur", "pour", "avec", "par", "il", "elle", "ils", "nous", "vous", "je", "ce", "cette", "se", "son", "sa", "ses", "plus",
		// Spanish / Portuguese / Italian
		"el", "los", "las", "y", "o", "pero", "del", "al", "es", "son", "fue", "en", "con", "por", "para", "su", "sus", "lo", "se", "como", "más",
		"o", "os", "as", "e", "do", "da", "dos", "das", "em", "no", "na", "um", "uma", "é", "não", "com", "mas",
		"il", "di", "che", "è", "per", "non", "gli", "della", "delle", "nel", "una", "sono", "ha",
		// Dutch / Polish
		"het", "een", "en", "van", "op", "niet", "zijn", "voor", "met", "dat", "ook", "wordt",
		"i", "w", "z", "na", "się", "nie", "jest", "że", "do", "to", "jak", "od", "za", "po",
	} {
		m[w] = true
	}
	return m
}()
