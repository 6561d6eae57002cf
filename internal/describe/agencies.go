package describe

import (
	"strings"
	"time"
)

// agency is a wire service: its readable name, the forms it signs with, and
// the zone its own timestamps are written in ("" when it has no single home).
type agency struct {
	name    string
	aliases []string
	zone    string
}

// agencies are the world's news agencies, as domain knowledge: a story they
// sign is theirs, whoever's page republished it.
var agencies = []agency{
	{"AP", []string{"AP", "Associated Press", "The Associated Press", "AP News"}, "America/New_York"},
	{"Reuters", []string{"Reuters", "Thomson Reuters", "REUTERS"}, ""},
	{"AFP", []string{"AFP", "Agence France-Presse", "Agence France Presse", "AFP-JIJI"}, "Europe/Paris"},
	{"Yonhap", []string{"Yonhap", "Yonhap News Agency", "Yonhap News", "YNA"}, "Asia/Seoul"},
	{"Xinhua", []string{"Xinhua", "Xinhua News Agency", "XINHUA"}, "Asia/Shanghai"},
	{"Kyodo", []string{"Kyodo", "Kyodo News", "KYODO"}, "Asia/Tokyo"},
	{"Jiji Press", []string{"Jiji", "Jiji Press", "JIJI"}, "Asia/Tokyo"},
	{"dpa", []string{"dpa", "DPA", "Deutsche Presse-Agentur"}, "Europe/Berlin"},
	{"ANSA", []string{"ANSA"}, "Europe/Rome"},
	{"EFE", []string{"EFE", "Agencia EFE"}, "Europe/Madrid"},
	{"Europa Press", []string{"Europa Press"}, "Europe/Madrid"},
	{"PTI", []string{"PTI", "Press Trust of India"}, "Asia/Kolkata"},
	{"IANS", []string{"IANS", "Indo-Asian News Service"}, "Asia/Kolkata"},
	{"ANI", []string{"ANI", "Asian News International"}, "Asia/Kolkata"},
	{"UPI", []string{"UPI", "United Press International"}, "America/New_York"},
	{"TASS", []string{"TASS", "ITAR-TASS"}, "Europe/Moscow"},
	{"RIA Novosti", []string{"RIA Novosti", "RIA"}, "Europe/Moscow"},
	{"Interfax", []string{"Interfax"}, "Europe/Moscow"},
	{"Anadolu", []string{"Anadolu", "Anadolu Agency"}, "Europe/Istanbul"},
	{"Bernama", []string{"Bernama", "BERNAMA"}, "Asia/Kuala_Lumpur"},
	{"CNA", []string{"CNA", "Central News Agency"}, "Asia/Taipei"},
	{"Antara", []string{"Antara", "ANTARA"}, "Asia/Jakarta"},
	{"PNA", []string{"PNA", "Philippine News Agency"}, "Asia/Manila"},
	{"VNA", []string{"VNA", "Vietnam News Agency"}, "Asia/Ho_Chi_Minh"},
	{"KCNA", []string{"KCNA", "Korean Central News Agency"}, "Asia/Pyongyang"},
	{"Lusa", []string{"Lusa", "LUSA"}, "Europe/Lisbon"},
	{"APA", []string{"APA", "Austria Presse Agentur"}, "Europe/Vienna"},
	{"Belga", []string{"Belga", "BELGA"}, "Europe/Brussels"},
	{"ANP", []string{"ANP"}, "Europe/Amsterdam"},
	{"NTB", []string{"NTB"}, "Europe/Oslo"},
	{"TT", []string{"Tidningarnas Telegrambyrå"}, "Europe/Stockholm"},
	{"Ritzau", []string{"Ritzau"}, "Europe/Copenhagen"},
	{"STT", []string{"STT"}, "Europe/Helsinki"},
	{"PAP", []string{"PAP", "Polish Press Agency"}, "Europe/Warsaw"},
	{"CTK", []string{"CTK", "ČTK"}, "Europe/Prague"},
	{"MTI", []string{"MTI"}, "Europe/Budapest"},
	{"Ukrinform", []string{"Ukrinform"}, "Europe/Kyiv"},
	{"PA Media", []string{"PA", "PA Media", "Press Association"}, "Europe/London"},
	{"AAP", []string{"AAP", "Australian Associated Press"}, "Australia/Sydney"},
	{"The Canadian Press", []string{"Canadian Press", "The Canadian Press", "CP"}, "America/Toronto"},
	{"Notimex", []string{"Notimex"}, "America/Mexico_City"},
	{"Agência Brasil", []string{"Agência Brasil", "Agencia Brasil"}, "America/Sao_Paulo"},
	{"IRNA", []string{"IRNA"}, "Asia/Tehran"},
	{"WAFA", []string{"WAFA"}, "Asia/Hebron"},
	{"MENA", []string{"MENA"}, "Africa/Cairo"},
	{"SANA", []string{"SANA"}, "Asia/Damascus"},
	{"SPA", []string{"Saudi Press Agency"}, "Asia/Riyadh"},
	{"WAM", []string{"WAM"}, "Asia/Dubai"},
	{"APS", []string{"APS"}, "Africa/Algiers"},
	{"MAP", []string{"Maghreb Arabe Presse"}, "Africa/Casablanca"},
	{"NAN", []string{"News Agency of Nigeria"}, "Africa/Lagos"},
	{"Bloomberg", []string{"Bloomberg", "Bloomberg News"}, ""},
	{"Dow Jones", []string{"Dow Jones", "Dow Jones Newswires"}, "America/New_York"},
}

// agencyNamed returns the agency s names exactly (a sign-off or a byline
// with nothing else in it), ignoring case for names longer than an acronym.
func agencyNamed(s string) (agency, bool) {
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), ".,;:()[]–—-/"))
	if s == "" {
		return agency{}, false
	}
	for _, a := range agencies {
		for _, al := range a.aliases {
			// Acronyms must match in case: "Ap" or "pa" are not agencies.
			if s == al || (len(al) > 4 && strings.EqualFold(s, al)) {
				return a, true
			}
		}
	}
	return agency{}, false
}

// outletZones are the home zones of a few outlets whose pages state local
// wall times without a zone; the ccTLD table covers most others.
var outletZones = map[string]string{
	"korea herald": "Asia/Seoul", "korea times": "Asia/Seoul",
	"chosun ilbo": "Asia/Seoul", "hankyoreh": "Asia/Seoul", "nk news": "Asia/Seoul",
	"japan times": "Asia/Tokyo", "nhk": "Asia/Tokyo", "asahi shimbun": "Asia/Tokyo", "mainichi": "Asia/Tokyo",
	"south china morning post": "Asia/Hong_Kong", "straits times": "Asia/Singapore",
	"times of india": "Asia/Kolkata", "hindustan times": "Asia/Kolkata", "the hindu": "Asia/Kolkata",
	"global times": "Asia/Shanghai", "china daily": "Asia/Shanghai",
}

// tldZones maps country-code top-level domains of single-zone countries (or
// countries whose media keep one zone) to that zone.
var tldZones = map[string]string{
	"kr": "Asia/Seoul", "jp": "Asia/Tokyo", "cn": "Asia/Shanghai", "tw": "Asia/Taipei", "hk": "Asia/Hong_Kong",
	"sg": "Asia/Singapore", "in": "Asia/Kolkata", "pk": "Asia/Karachi", "bd": "Asia/Dhaka", "lk": "Asia/Colombo",
	"np": "Asia/Kathmandu", "th": "Asia/Bangkok", "vn": "Asia/Ho_Chi_Minh", "my": "Asia/Kuala_Lumpur",
	"ph": "Asia/Manila", "id": "Asia/Jakarta", "il": "Asia/Jerusalem", "ae": "Asia/Dubai", "sa": "Asia/Riyadh",
	"qa": "Asia/Qatar", "ir": "Asia/Tehran", "tr": "Europe/Istanbul",
	"uk": "Europe/London", "ie": "Europe/Dublin", "de": "Europe/Berlin", "at": "Europe/Vienna", "ch": "Europe/Zurich",
	"fr": "Europe/Paris", "be": "Europe/Brussels", "nl": "Europe/Amsterdam", "lu": "Europe/Luxembourg",
	"it": "Europe/Rome", "es": "Europe/Madrid", "pt": "Europe/Lisbon", "dk": "Europe/Copenhagen",
	"se": "Europe/Stockholm", "no": "Europe/Oslo", "fi": "Europe/Helsinki", "is": "Atlantic/Reykjavik",
	"pl": "Europe/Warsaw", "cz": "Europe/Prague", "sk": "Europe/Bratislava", "hu": "Europe/Budapest",
	"si": "Europe/Ljubljana", "hr": "Europe/Zagreb", "rs": "Europe/Belgrade", "ro": "Europe/Bucharest",
	"bg": "Europe/Sofia", "gr": "Europe/Athens", "ua": "Europe/Kyiv", "by": "Europe/Minsk",
	"lt": "Europe/Vilnius", "lv": "Europe/Riga", "ee": "Europe/Tallinn",
	"eg": "Africa/Cairo", "za": "Africa/Johannesburg", "ng": "Africa/Lagos", "ke": "Africa/Nairobi",
	"gh": "Africa/Accra", "ma": "Africa/Casablanca", "nz": "Pacific/Auckland", "ar": "America/Argentina/Buenos_Aires",
	"cl": "America/Santiago", "co": "America/Bogota", "pe": "America/Lima", "ve": "America/Caracas",
	// Countries of several zones, by where most of their people (and
	// newsrooms) are: nearer the page's day than UTC.
	"ca": "America/Toronto", "au": "Australia/Sydney", "br": "America/Sao_Paulo", "mx": "America/Mexico_City",
	"ru": "Europe/Moscow",
}

// loadZone returns the named zone or nil; an old system zone database that
// lacks a name must not stop describing.
func loadZone(name string) *time.Location {
	if name == "" {
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	return loc
}
