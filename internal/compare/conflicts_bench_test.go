package compare

import (
	"fmt"
	"strings"
	"testing"

	dossier "github.com/dossiernews/dossier"
)

// conflictTemplates are the paragraphs a generated report is made of; %[1]d
// varies figures by report, %[2]s the weekday, %[3]s the host.
var conflictTemplates = []string{
	"A gangway at the Harwick ferry terminal collapsed on %[2]s, and %[1]d people were injured, the port authority said.",
	"The forum on harbour safety was hosted by the %[3]s, where Deputy Mayor Ines Varga, 54, spoke about the repairs.",
	"\"We will rebuild the terminal before the summer season,\" Varga said. \"Nobody should have to fear a gangway again.\"",
	"The council approved a $4.2 million budget for the repairs, and about 2,000 people attended a vigil in the evening.",
	"Harbour Master Pavel Ostrom said the inspection would take %[1]d days. More than 100 ferry crossings were cancelled.",
	"Engineers from the Tarrow Harbour Trust (THT) examined the structure, which was built in 1987 and last inspected in March.",
	"Residents who spoke to reporters said they had not been told what would happen next, and that the ferry was their only link to the mainland.",
	"Some 62%% of commuters use the ferry daily, according to a survey published by the council last year.",
}

var conflictDays = []string{"Saturday", "Saturday", "Saturday", "Sunday"}
var conflictHosts = []string{"Tarrow Harbour Trust", "Tarrow Harbour Trust", "Brannock Institute for Coastal Policy"}

// conflictStory is n reports of one event: most agree, some state the
// count, the day or the host differently.
func conflictStory(n int) []Report {
	reports := make([]Report, n)
	for i := range reports {
		var paras []string
		for k, tpl := range conflictTemplates {
			if (i+k)%5 == 4 {
				continue // not every report carries every paragraph
			}
			paras = append(paras, fmt.Sprintf(tpl, 14+i%3*7, conflictDays[i%len(conflictDays)], conflictHosts[i%len(conflictHosts)]))
		}
		reports[i] = Report{Article: dossier.Article{
			ID: fmt.Sprintf("r%03d", i), Outlet: fmt.Sprintf("Outlet %d", i%17), Text: strings.Join(paras, "\n\n"),
		}}
	}
	return reports
}

func BenchmarkConflicts(b *testing.B) {
	for _, n := range []int{50, 500} {
		reports := conflictStory(n)
		b.Run(fmt.Sprintf("reports=%d", n), func(b *testing.B) {
			for b.Loop() {
				Conflicts(reports)
			}
		})
	}
}
