package cluster

// isStopword reports English function words and reporting furniture, which
// carry no event identity and would otherwise dominate the first articles,
// before document frequencies have built up.
func isStopword(w string) bool {
	switch w {
	case "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "around", "as", "at",
		"be", "became", "because", "been", "before", "being", "below", "between", "both", "but", "by",
		"can", "could", "did", "do", "does", "doing", "down", "during", "each", "even", "ever", "every",
		"few", "for", "from", "further", "get", "got", "had", "has", "have", "having", "he", "her", "here", "hers", "herself",
		"him", "himself", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just",
		"last", "like", "made", "make", "many", "may", "me", "might", "more", "most", "much", "must", "my", "myself",
		"new", "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other", "our", "ours",
		"ourselves", "out", "over", "own", "said", "same", "say", "says", "she", "should", "since", "so", "some", "still", "such",
		"than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this",
		"those", "though", "through", "to", "too", "two", "under", "until", "up", "upon", "us", "very", "was", "we", "well", "were",
		"what", "when", "where", "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "would",
		"yet", "you", "your", "yours", "yourself", "told", "according", "reported", "report", "reports", "news",
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
		"mr", "mrs", "ms", "dr", "don", "t", "s", "ll", "re", "ve", "d", "m", "it's", "didn", "doesn", "isn", "wasn", "aren",
		"per", "via", "within", "without", "among", "another", "three", "year", "years", "day", "days", "week", "time",
		"people", "page", "photo", "image", "read", "click", "share", "comments", "copyright":
		return true
	}
	return false
}
