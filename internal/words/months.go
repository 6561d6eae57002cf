package words

import "strings"

// months maps month names and abbreviations in the languages most news is
// written in to their number.
var monthNumbers = func() map[string]int {
	m := map[string]int{}
	lists := [][]string{
		{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"},
		{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"},
		{"januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember"},
		{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
		{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
		{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
		{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
		{"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"},
	}
	for _, l := range lists {
		for i, name := range l {
			m[name] = i + 1
		}
	}
	for k, v := range map[string]int{"sept": 9, "okt": 10, "dez": 12, "mär": 3, "mrz": 3, "janv": 1, "févr": 2, "avr": 4, "juil": 7, "déc": 12} {
		m[k] = v
	}
	return m
}()

// Month is the number of the month a word names (1 for January), in any
// case and with an abbreviation's point, or 0.
func Month(w string) int {
	return monthNumbers[strings.ToLower(strings.TrimSuffix(w, "."))]
}
