package quote

import "strings"

// The word lists below are general English newswriting knowledge, not taken
// from any evaluation article. They are read-only after init-free literal
// construction, so they hold no mutable state.

// setOf builds a lookup set from space-separated words.
func setOf(words string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// reportStems are reporting verbs; inflections are derived by verbForm.
var reportStems = setOf(`say said says saying tell told tells telling add adds added adding
argue stress acknowledge note warn insist explain write wrote writes writing written tweet ask reply replied
replies continue state declare claim call describe announce admit concede counter recall remark observe
suggest urge respond answer emphasize emphasise point quip joke complain charge contend maintain assert
predict promise vow pledge caution report post testify testified recount boast muse laugh lament conclude
agree deny denied confirm blast slam criticize criticise praise accuse dub label term brand deem
characterize characterise proclaim exclaim shout yell scream whisper mutter chime interject retort
reiterate repeat elaborate clarify insist reason speculate estimate hint allege blame tout question wonder
acknowledge opine announce inform advise recommend demand plead beg lash fire hit rip mock scoff sneer
snap thunder echo summarize summarise cite quote explain tell text email e-mail hail speak spoke spoken
sagte sagt erklärte erklärt betonte betont meinte fügte schrieb warnte
dit déclaré affirmé ajouté estimé expliqué souligné indiqué précisé écrit
dijo afirmó señaló explicó añadió declaró aseguró disse afirmou declarou ha detto dichiarato`)

// stripSuffixes lists inflection endings tried when looking a verb up.
var stripSuffixes = []string{"ing", "ed", "es", "s", "d"}

// isReportVerb reports whether a lower-case word is an inflection of a
// reporting verb.
func isReportVerb(w string) bool {
	if reportStems[w] {
		return true
	}
	for _, suf := range stripSuffixes {
		if strings.HasSuffix(w, suf) && len(w) > len(suf)+2 {
			base := w[:len(w)-len(suf)]
			if reportStems[base] || reportStems[base+"e"] {
				return true
			}
			// doubled consonant: "quipped", "admitted"
			if n := len(base); n > 2 && base[n-1] == base[n-2] && reportStems[base[:n-1]] {
				return true
			}
			// "replied" → "reply"
			if strings.HasSuffix(base, "i") && reportStems[base[:len(base)-1]+"y"] {
				return true
			}
		}
	}
	return false
}

// weakVerbs are reporting verbs that need an object or complement to be a
// speech cue ("called it", "described as"): still fine as cues before a
// quote, but never as the inverted "said X" pattern.
var weakVerbs = setOf(`call calls called calling describe describes described describing dub dubbed
label labeled labelled term termed brand branded deem deemed characterize characterized question questioned
hit fire fired point pointed cite cited quote quoted hail hails hailed hailing`)

// skipBeforeVerb are words that may sit between a subject and its verb.
var skipBeforeVerb = setOf(`also later then further recently repeatedly has had have was were is are
would will had once previously again still simply just even flatly publicly privately reportedly
has since had already subsequently quickly bluntly has also never often had then first`)

var pronounsMale = setOf(`he him his himself`)
var pronounsFemale = setOf(`she her hers herself`)

// honorifics give a person's gender when they prefix a name.
var honorificMale = setOf(`mr mr. sir lord king prince`)
var honorificFemale = setOf(`ms ms. mrs mrs. miss madam lady dame queen princess`)

// titleWords are titles and roles stripped from the front of a name.
var titleWords = setOf(`mr mr. ms ms. mrs mrs. miss dr dr. del. sen sen. rep rep. gov gov. gen gen. lt lt. col col.
sgt sgt. prof prof. rev rev. pres pres. hon hon. sir lord lady dame president vice former deputy assistant
secretary minister prime chancellor senator congressman congresswoman governor mayor judge justice chief
speaker leader chairman chairwoman chair director ambassador attorney general king queen prince princess
pope sheriff officer detective candidate nominee spokesman spokeswoman spokesperson republican democratic
democrat captain commissioner superintendent coach professor doctor envoy representative sen. lawmaker
state special acting interim executive ceo cfo founder co-founder host anchor correspondent editor
economist analyst adviser advisor pastor bishop cardinal father rabbi imam sheikh emir president-elect
bürgermeister präsident präsidentin kanzler kanzlerin ministerin ministre président présidente maire
presidente alcalde ministro ministra
u.s. us uk u.k. gop house senate white federal foreign defense defence interior treasury finance trade
health education labor labour justice commerce majority minority whip counsel press national security
rep.-elect manager strategist pollster consultant campaign chairperson commander admiral sergeant
private corporal major colonel lieutenant general inspector police fire dean president's mrs first lady
north south east west american british french german chinese russian korean japanese israeli mexican
canadian australian indian iranian iraqi syrian ukrainian european african`)

// roleNouns head descriptions that refer back to a person ("the minister").
var roleNouns = setOf(`diplomat minister president senator spokesman spokeswoman spokesperson official
secretary mayor governor chairman chairwoman chair nominee candidate businessman businesswoman lawmaker
congressman congresswoman representative envoy ambassador leader director chief executive ceo judge
justice attorney prosecutor lawyer officer commander general admiral premier chancellor king queen prince
princess pope analyst economist expert professor researcher scientist doctor author writer reporter
journalist host anchor actress actor singer star rapper player coach manager founder owner activist
aide adviser advisor strategist pollster consultant investor banker politician billionaire mogul
man woman senator-elect president-elect republican democrat incumbent challenger rival opponent
speaker commissioner superintendent sheriff detective witness victim suspect mother father son daughter
wife husband brother sister veteran candidate frontrunner front-runner contender cleric bishop pastor
novelist filmmaker director producer musician comedian athlete captain pilot soldier resident student
teacher worker farmer owner operator head negotiator regulator administrator administration's
deputy astronomer engineer physicist chemist biologist historian scholar academic pollster
strategist commentator columnist critic campaigner organiser organizer protester protestor
councillor councilor councilman councilwoman alderman delegate narrator master keeper warden clerk
treasurer inspector chairperson spokespeople representative`)

// orgNouns head descriptions or names of organisations.
var orgNouns = setOf(`ministry department agency committee company campaign court commission government
party council office police group organization organisation firm bank union board bureau institute
foundation association administration army military navy service center centre university college
school club team network newspaper paper magazine channel station news times post journal herald
tribune press corporation corp inc ltd co fund authority coalition alliance federation league senate
congress parliament assembly house cabinet embassy consulate prosecutors regime secretariat council
nations`)

// groupNouns head descriptions of groups that speak together.
var groupNouns = setOf(`organisers organizers officials residents critics protesters police authorities
researchers investigators prosecutors organisers supporters opponents activists experts analysts
economists scientists doctors lawyers families parents teachers workers farmers villagers neighbours
neighbors witnesses papers newspapers reports sources aides advisers advisors lawmakers legislators
leaders democrats republicans voters fans players members`)

// docNouns are documents that "say" things for their authors.
var docNouns = setOf(`report statement study memo memorandum article analysis ad advert advertisement survey
poll document letter complaint filing lawsuit ruling release editorial op-ed tweet post video clip
book column`)

// nameModifiers may precede a titled name in a cue ("retired general Jane Roe").
var nameModifiers = setOf(`retired former late then acting senior top longtime veteran outgoing incoming
interim embattled`)

// kinNouns are people known through someone else ("Roe's family").
var kinNouns = setOf(`family relatives wife husband son daughter mother father brother sister niece nephew
cousin widow parents children lawyer lawyers attorney attorneys spokesman spokeswoman spokesperson aides
aide staff team campaign office doctor physician friends friend allies supporters`)

// nounLike are reporting verbs whose bare form is more often a noun.
var nounLike = setOf(`state report post call question tweet text email charge note answer claim quote cite
comment estimate reply remark demand promise pledge vow boast joke complaint counter echo`)

var modals = setOf(`to will would could can may might should must did does do also`)

// notAdverbs end in -ly but are nouns or verbs.
var notAdverbs = setOf(`family assembly rally ally supply reply italy july anomaly monopoly homily belly bully
jelly folly tally rely apply comply multiply imply`)

// pluralGroups are capitalised plural nouns for groups of people.
var pluralGroups = setOf(`democrats republicans americans conservatives liberals progressives independents
libertarians europeans russians britons africans asians latinos hispanics muslims christians jews catholics
evangelicals protestants socialists communists greens palestinians israelis ukrainians koreans`)

// determiners open a noun phrase, in the languages the cues cover.
var determiners = setOf(`the a an his her its their der die das den dem ein eine le la les l' un une el los
las il lo gli o os`)

// femaleRoles and maleRoles give a gender to a description's head.
var femaleRoles = setOf(`spokeswoman chairwoman businesswoman congresswoman woman actress queen princess
mother daughter wife sister`)
var maleRoles = setOf(`spokesman chairman businessman congressman man actor king prince father son husband
brother`)

// sentenceStarters are capitalised function words that begin sentences
// and are not part of a name.
var sentenceStarters = setOf(`the a an but and or so yet in on at of for to from with by as if when while
after before since because although though this that these those it its he she they we i you his her their
our my your there here what who whom which why how where however meanwhile still also then now today
yesterday asked speaking during despite according even just only not no yes mr ms last next earlier later
both each every all some many most more several few one two three other another such once until unless
whether like unlike under over about against among between into through without within upon instead
indeed perhaps maybe sources critics supporters officials experts analysts voters people nonetheless
nevertheless moreover furthermore additionally besides consequently therefore thus hence otherwise
regardless likewise similarly conversely overall ultimately finally initially meanwhile afterward
afterwards later separately elsewhere`)

// notNameWords are capitalised words that are never part of a person's name.
var notNameWords = setOf(`monday tuesday wednesday thursday friday saturday sunday january february march
april may june july august september october november december jan feb mar apr jun jul aug sep sept oct
nov dec god covid covid-19 internet twitter facebook instagram youtube tiktok christmas easter
thanksgiving olympics games`)

// placeWords mark capitalised runs that are places rather than people.
var placeWords = setOf(`america american united states kingdom korea china japan russia india france germany
britain england scotland wales ireland europe asia africa pacific atlantic north south east west
washington york california texas florida ohio nevada iowa virginia carolina pennsylvania michigan
wisconsin georgia arizona colorado utah new city county island islands republic democratic people's
beijing moscow tokyo seoul london paris berlin brussels kingdom gulf middle valley river mountain
street avenue square park beach coast bay lake district province region capital town village
u.s. us uk u.k. usa eu un u.n. nato`)

// subjectPronouns are subject pronouns that may head a cue.
var subjectPronouns = setOf(`he she they it we i`)

// abbreviations end with a period that does not end a sentence.
var abbreviations = setOf(`mr ms mrs dr sen rep gov gen lt col sgt prof rev st jr sr vs no inc corp co ltd
jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n d.c a.m p.m e.g i.e etc calif fla ill mass
mich minn penn tenn tex va wash wis ariz ark colo conn del ga ind kan ky la md mo miss mont neb nev okla
ore pa wyo ala n.y n.j n.c s.c n.h n.d s.d n.m r.i w.va pres supt cmdr capt adm maj cpl pvt`)

// facilityNouns end the names of buildings and places ("City Hall").
var facilityNouns = setOf(`hall street st road avenue square bridge station airport harbour harbor port
park stadium arena church cathedral mosque temple palace castle tower building centre center hospital
library museum theatre theater plaza lane river lake valley island islands bay quay wharf dock docks pier
terminal mountain mount hill beach coast gate`)

// placeLeaders come before the name of a place, rarely before a person's.
var placeLeaders = setOf(`the at in on near from outside inside into across along through`)

// numberWords spell numbers; a capitalised one opens a sentence ("Twenty
// years ago, …"), never a name.
var numberWords = setOf(`one two three four five six seven eight nine ten eleven twelve thirteen fourteen
fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred
thousand million billion dozen dozens hundreds thousands millions`)

// isNumberWord reports a spelt number, hyphenated or not ("twenty-two").
func isNumberWord(w string) bool {
	for _, p := range strings.Split(w, "-") {
		if !numberWords[p] {
			return false
		}
	}
	return w != ""
}

// focusAdverbs may stand before a sentence's subject ("Even the mayor said").
var focusAdverbs = setOf(`even only also still just`)
