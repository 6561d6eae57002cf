// Package quote finds direct quotations in an article and attributes each to
// its speaker, resolving pronouns and descriptions to the person.
package quote

import dossier "github.com/dossiernews/dossier"

// Find returns the direct quotations of an article's clean text, in order.
func Find(text string) []dossier.Quote { return nil }
