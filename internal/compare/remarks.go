package compare

import dossier "github.com/dossiernews/dossier"

// Remarks groups the reports' quotes into remarks (being built).
func Remarks(reports []Report) []dossier.Remark { return nil }
