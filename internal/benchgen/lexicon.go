package benchgen

// The templates below are written for this generator: every outlet, person
// and place they produce is invented from syllables. Slots in braces:
// {P1} {P2} a person's full name, {S1} {S2} their surname, {R1} {R2} their
// role, {PLACE}, {ORG}, {N1} {N2} {N3} the story's numbers, {DAY} the
// event's weekday, {DATE} its month and day, {T} {T2} topic words, {n} {a}
// background words drawn from the Zipf vocabulary.

// theme is a kind of event: stories of one theme share templates, stories
// of one topic share topic words too.
type theme struct {
	name   string
	orgs   []string // kinds of organisation, after a place name
	roles  [2][]string
	titles []string
	facts  []string
	quotes []string
	// n1, n2, n3 bound the story's numbers.
	n1, n2, n3 [2]int
}

var themes = []theme{
	{
		name:  "labour",
		orgs:  []string{"Port Authority", "Bus Company", "Freight Terminal", "Textile Works"},
		roles: [2][]string{{"union secretary", "shop steward", "union president"}, {"chief executive", "operations director", "company spokesperson"}},
		titles: []string{
			"{PLACE} workers strike over pay as talks with {ORG} stall",
			"Walkout at {ORG} enters {DAY} with no deal in sight",
			"{S1} vows to hold out as {PLACE} stoppage spreads",
			"{ORG} offers {N3} percent, union calls it an insult",
		},
		facts: []string{
			"Workers at the {ORG} in {PLACE} walked off the job on {DAY}, demanding a raise of {N1} percent over two years.",
			"About {N2} members of the union joined the stoppage, according to organisers.",
			"{P1}, the {R1}, said negotiations had broken down over {T} and the cost of {T2}.",
			"Management has offered {N3} percent and describes the figure as its final position.",
			"{P2}, the {R2}, warned that {T} shipments could be delayed for several weeks.",
			"A fresh round of talks between the two sides is planned for {DATE}.",
			"Pickets gathered outside the main gate before dawn, carrying placards about {T}.",
			"The last dispute at the site, over {T2}, lasted eleven days.",
		},
		quotes: []string{
			"We have been patient for three years and patience has not paid the rent",
			"Nobody walks out lightly, but the offer on the table ignores what {T} costs families",
			"The door remains open and we expect everyone back at work by {DATE}",
			"Every day this goes on hurts the customers who rely on us",
		},
		n1: [2]int{4, 18}, n2: [2]int{120, 6000}, n3: [2]int{1, 6},
	},
	{
		name:  "flood",
		orgs:  []string{"River Board", "District Council", "Emergency Service", "Water Company"},
		roles: [2][]string{{"fire chief", "emergency coordinator", "district mayor"}, {"hydrologist", "council leader", "relief organiser"}},
		titles: []string{
			"Floods force {N2} from homes in {PLACE}",
			"{PLACE} river bursts its banks after {N1} hours of rain",
			"Clean-up begins in {PLACE} as waters recede",
			"{S1} says {PLACE} flood defences held, barely",
		},
		facts: []string{
			"Heavy rain pushed the river through {PLACE} over its banks on {DAY}, flooding low-lying streets.",
			"Around {N2} residents were moved to schools and sports halls overnight.",
			"{P1}, the {R1}, said crews had carried out {N3} rescues from roofs and upper floors.",
			"The {ORG} recorded {N1} hours of continuous rain, the longest spell since records began.",
			"{P2}, the {R2}, said the embankment near the {T} works had been weakened by {T2}.",
			"Forecasters expect drier weather from {DATE}, though the ground remains saturated.",
			"Several roads into town were closed and the rail line was suspended between two stations.",
			"Volunteers filled sandbags in the market square through the night.",
		},
		quotes: []string{
			"The water came up faster than anyone here has ever seen",
			"Our defences were built for a storm like this one, and most of them held",
			"People should not drive through flood water, however shallow it looks",
			"We will need months, not weeks, to put {T} right",
		},
		n1: [2]int{9, 60}, n2: [2]int{80, 4000}, n3: [2]int{3, 90},
	},
	{
		name:  "court",
		orgs:  []string{"Crown Court", "District Court", "Appeals Tribunal", "Magistrates' Bench"},
		roles: [2][]string{{"prosecutor", "defence lawyer", "presiding judge"}, {"detective inspector", "defendant's sister", "court clerk"}},
		titles: []string{
			"{PLACE} trial hears of missing {T} funds",
			"{S1} tells court the accounts were falsified",
			"Jury retires in {PLACE} {T} fraud case",
			"Former official denies {N1} charges at {ORG}",
		},
		facts: []string{
			"A former treasurer went on trial at the {ORG} in {PLACE} on {DAY}, accused of diverting money meant for {T}.",
			"Prosecutors say {N2} thousand was moved through {N3} accounts over four years.",
			"{P1}, the {R1}, told the jury that invoices for {T2} had been invented.",
			"The accused denies all {N1} counts and says the transfers were authorised.",
			"{P2}, the {R2}, described finding ledgers hidden in a garage.",
			"The trial is expected to last until {DATE}.",
			"Members of the public queued outside the courtroom from early morning.",
			"The judge reminded jurors not to read coverage of the case.",
		},
		quotes: []string{
			"The paperwork tells a story the defendant would rather you did not hear",
			"My client has nothing to hide and never had",
			"We followed the money and it led to one desk",
			"This community trusted that the {T} money was safe",
		},
		n1: [2]int{3, 14}, n2: [2]int{40, 900}, n3: [2]int{2, 12},
	},
	{
		name:  "business",
		orgs:  []string{"Foods", "Logistics", "Engineering", "Pharma", "Retail Group"},
		roles: [2][]string{{"chief executive", "finance director", "chair"}, {"analyst", "union representative", "investor"}},
		titles: []string{
			"{ORG} to cut {N2} jobs in restructuring",
			"{ORG} agrees takeover worth {N1} million",
			"{S1} defends {ORG} plan as shares slide {N3} percent",
			"{PLACE} plant to close as {ORG} shifts {T} production",
		},
		facts: []string{
			"{ORG}, based in {PLACE}, announced on {DAY} that it would shed {N2} jobs over the next year.",
			"The company agreed a deal valued at {N1} million to combine its {T} business with a rival.",
			"{P1}, the {R1}, said demand for {T2} had fallen faster than expected.",
			"Shares in the group fell {N3} percent in early trading.",
			"{P2}, the {R2}, said the plan left questions about the future of the {PLACE} site.",
			"Staff were told of the changes at a meeting on {DATE}.",
			"The group employs workers at several sites and reported lower profits last quarter.",
			"Regulators are expected to review the {T} deal before it can close.",
		},
		quotes: []string{
			"These are hard choices, and we are making them to secure the rest of the business",
			"Workers in {PLACE} deserve better than a press release",
			"The market wanted a plan and this is a plan, if not a cheap one",
			"We will support every colleague affected through the change",
		},
		n1: [2]int{30, 2500}, n2: [2]int{60, 3500}, n3: [2]int{2, 25},
	},
	{
		name:  "election",
		orgs:  []string{"Town Council", "County Assembly", "Regional Parliament", "Mayoral Office"},
		roles: [2][]string{{"candidate", "incumbent mayor", "party chair"}, {"returning officer", "rival candidate", "campaign manager"}},
		titles: []string{
			"{S1} wins {PLACE} mayoral race by {N2} votes",
			"Recount ordered in tight {PLACE} council vote",
			"Turnout reaches {N1} percent in {PLACE} election",
			"{S1} and {S2} clash over {T} in final debate",
		},
		facts: []string{
			"Voters in {PLACE} went to the polls on {DAY} to choose members of the {ORG}.",
			"Turnout reached {N1} percent, up on the previous election.",
			"{P1}, the {R1}, won by a margin of {N2} votes after campaigning on {T}.",
			"{P2}, the {R2}, said a recount would be requested in {N3} wards.",
			"The campaign was dominated by arguments over {T2} and local taxes.",
			"The new council is due to meet for the first time on {DATE}.",
			"Counting continued past midnight at the sports centre.",
			"Several polling stations ran short of ballot papers in the afternoon.",
		},
		quotes: []string{
			"Tonight {PLACE} voted for change and I will not waste it",
			"Every vote deserves to be counted twice when the margin is this close",
			"We listened on the doorsteps, and people talked about {T} above all",
			"I congratulate my opponent and I will hold the council to its promises",
		},
		n1: [2]int{28, 81}, n2: [2]int{12, 4000}, n3: [2]int{2, 9},
	},
	{
		name:  "transit",
		orgs:  []string{"Rail Network", "Metro", "Tram Company", "Ferry Service"},
		roles: [2][]string{{"network director", "transport minister", "safety inspector"}, {"passenger group chair", "signalling engineer", "commuter"}},
		titles: []string{
			"Signal failure halts {PLACE} trains for {N1} hours",
			"{ORG} chaos leaves {N2} commuters stranded",
			"{S1} orders review after {PLACE} line breakdown",
			"{ORG} services resume after {DAY} shutdown",
		},
		facts: []string{
			"Services on the {ORG} around {PLACE} stopped on {DAY} after a fault in the signalling system.",
			"An estimated {N2} passengers were affected during the morning peak.",
			"{P1}, the {R1}, said the fault lay in equipment installed to manage {T}.",
			"Trains were halted for {N1} hours and replacement buses ran between {N3} stations.",
			"{P2}, the {R2}, said the same section had failed twice this year because of {T2}.",
			"An independent review is due to report by {DATE}.",
			"Crowds built up on platforms and staff closed some entrances for safety.",
			"Taxi firms reported a surge in bookings across the city.",
		},
		quotes: []string{
			"Passengers were let down today and I apologise to every one of them",
			"This is the third time this year and apologies no longer get anyone to work",
			"The fault has been isolated and we are confident it will not recur",
			"Nobody told us anything for two hours",
		},
		n1: [2]int{2, 11}, n2: [2]int{900, 90000}, n3: [2]int{3, 16},
	},
	{
		name:  "fire",
		orgs:  []string{"Fire Service", "Forestry Agency", "Civil Protection Office", "Park Authority"},
		roles: [2][]string{{"incident commander", "fire chief", "forestry director"}, {"resident", "park ranger", "volunteer firefighter"}},
		titles: []string{
			"Wildfire near {PLACE} burns {N2} hectares",
			"{N3} villages evacuated as {PLACE} blaze spreads",
			"Firefighters gain ground on {PLACE} fire",
			"{S1} warns of more fires as {T} dries out",
		},
		facts: []string{
			"A wildfire broke out in the hills above {PLACE} on {DAY} and spread quickly in strong winds.",
			"The blaze has burned about {N2} hectares of forest and scrub.",
			"{P1}, the {R1}, said {N1} crews and several aircraft were fighting the flames.",
			"Residents of {N3} villages were told to leave their homes overnight.",
			"{P2}, the {R2}, said the fire started near a {T} depot and moved toward {T2}.",
			"Officials hope to have the fire contained by {DATE}.",
			"Smoke could be seen from the coast and air quality warnings were issued.",
			"The region has had little rain since the spring.",
		},
		quotes: []string{
			"The wind is our enemy tonight, and it is not letting up",
			"We packed the car in ten minutes and drove through smoke",
			"Crews are holding the line on the northern flank",
			"Conditions like these will come back every summer unless {T} changes",
		},
		n1: [2]int{6, 80}, n2: [2]int{50, 12000}, n3: [2]int{2, 14},
	},
	{
		name:  "health",
		orgs:  []string{"General Hospital", "Health Board", "Public Health Office", "Medical Centre"},
		roles: [2][]string{{"medical director", "health officer", "ward manager"}, {"patient advocate", "epidemiologist", "nurse"}},
		titles: []string{
			"{PLACE} hospital treats {N2} in stomach illness outbreak",
			"{ORG} closes wards after {T} infection",
			"{S1} urges calm over {PLACE} outbreak",
			"Outbreak in {PLACE} linked to {T}",
		},
		facts: []string{
			"The {ORG} in {PLACE} reported on {DAY} a rise in patients with a stomach infection.",
			"At least {N2} people have been treated and {N3} remain in hospital.",
			"{P1}, the {R1}, said the outbreak had been traced to {T}.",
			"{N1} samples have been sent for laboratory testing.",
			"{P2}, the {R2}, said the spread of cases pointed to {T2} rather than person-to-person contact.",
			"Visiting restrictions will stay in place at least until {DATE}.",
			"Pharmacies reported brisk demand for rehydration salts.",
			"Schools were asked to keep pupils with symptoms at home.",
		},
		quotes: []string{
			"Most people recover within a few days, but the very young and very old must be watched",
			"We have found the likely source and it has been closed",
			"My mother waited seven hours for a bed",
			"Washing hands is still the best protection we have",
		},
		n1: [2]int{20, 400}, n2: [2]int{15, 700}, n3: [2]int{1, 40},
	},
	{
		name:  "works",
		orgs:  []string{"Highways Agency", "Harbour Trust", "City Works Department", "Energy Cooperative"},
		roles: [2][]string{{"project director", "deputy mayor", "chief engineer"}, {"local shopkeeper", "cycling campaigner", "site foreman"}},
		titles: []string{
			"New {T} bridge opens in {PLACE} after {N1} years",
			"{PLACE} wind farm switched on",
			"Cost of {PLACE} project rises to {N2} million",
			"{S1} cuts ribbon on {PLACE} {T} scheme",
		},
		facts: []string{
			"A new crossing over the river at {PLACE} opened to traffic on {DAY}, {N1} years after work began.",
			"The project, run by the {ORG}, cost {N2} million, well above the first estimate.",
			"{P1}, the {R1}, said the design had to be changed twice because of {T}.",
			"Planners expect about {N3} thousand vehicles a day to use the route.",
			"{P2}, the {R2}, said the works had disrupted {T2} for too long.",
			"A second phase is due to begin on {DATE}.",
			"Hundreds of people walked across before the road opened to cars.",
			"The old crossing will be kept for pedestrians and cyclists.",
		},
		quotes: []string{
			"It took longer than any of us wanted, but it is built to last a century",
			"The shops on this street barely survived the building work",
			"This is what investment in {T} looks like",
			"We will watch the traffic closely in the first weeks",
		},
		n1: [2]int{2, 12}, n2: [2]int{8, 900}, n3: [2]int{4, 60},
	},
	{
		name:  "school",
		orgs:  []string{"School Board", "Education Trust", "Academy", "Teachers' Council"},
		roles: [2][]string{{"head teacher", "education director", "board chair"}, {"parent governor", "teachers' representative", "pupil"}},
		titles: []string{
			"{PLACE} schools face {N2} thousand budget gap",
			"Parents protest planned closure of {PLACE} school",
			"{S1} defends {ORG} cuts to {T} lessons",
			"{N3} schools in {PLACE} to merge",
		},
		facts: []string{
			"The {ORG} in {PLACE} voted on {DAY} to merge {N3} primary schools from next autumn.",
			"Officials say the district faces a shortfall of {N2} thousand next year.",
			"{P1}, the {R1}, said falling pupil numbers and the cost of {T} left no choice.",
			"About {N1} parents attended a public meeting that ran late into the evening.",
			"{P2}, the {R2}, said the plan would mean longer journeys and less {T2}.",
			"A formal consultation closes on {DATE}.",
			"Some parents have started a petition and plan to march on the town hall.",
			"Teachers' unions have asked for guarantees that no posts will be lost.",
		},
		quotes: []string{
			"Nobody became a teacher to close schools, but the numbers are the numbers",
			"Our children are not a line in a spreadsheet",
			"We will fight this decision at every stage",
			"Good schools need good buildings, and ours are falling apart",
		},
		n1: [2]int{40, 600}, n2: [2]int{90, 4000}, n3: [2]int{2, 6},
	},
}

// oneOff are articles that belong to no story: notices, reviews, columns.
var oneOff = []string{
	"The {a} {n} at the {PLACE} gallery brings together work on {T} and {T2}.",
	"Our reviewer found the {n} {a} but the {n} disappointing.",
	"Readers wrote in this week about the {n} on their street and the price of {T}.",
	"A guide to the best {n} for the {a} season, with advice on {T}.",
	"The {PLACE} club is looking for volunteers to help with its {n} and {T2}.",
	"In this column, {P1} considers the {a} history of the {n}.",
	"Tickets for the {T} festival go on sale on {DATE}.",
	"The recipe calls for {N1} grams of {n}, a pinch of {T} and patience.",
}

// background sentences carry the Zipf vocabulary and the topic words.
var background = []string{
	"The {a} {n} has long shaped the {n} of the region.",
	"Residents have raised questions about the {n} and the {n}.",
	"Officials said the {a} {n} would be reviewed next year.",
	"Similar disputes over {n} have surfaced in recent years.",
	"Critics argue the {n} has been neglected in favour of the {n}.",
	"The {n} remains a {a} concern for many households.",
	"Local groups have called for a {a} review of the {n}.",
	"Questions about {n} are expected to return at the next council meeting.",
}

// topical sentences are background about the topic's words.
var topical = []string{
	"The debate over {T} has run for months across the country.",
	"Concerns about {T} and {T2} have grown since last year.",
	"Experts say {T} is often overlooked until something goes wrong.",
	"The {a} cost of {T} has become a theme of national politics.",
	"Several reports this year have pointed to weaknesses in {T}.",
}

// locals are paragraphs a republisher adds.
var locals = []string{
	"Readers in {PLACE} can find travel updates on our website.",
	"The {PLACE} edition will carry further coverage tomorrow.",
	"Have you been affected? Write to our newsroom.",
	"Local services in {PLACE} are not affected, the council said.",
}

// rewordings are interchangeable phrasings: independent reports differ in
// them, copies sometimes too.
var rewordings = [][]string{
	{"about", "around", "roughly", "some"},
	{"said", "added"},
	{"warned", "cautioned"},
	{"planned", "scheduled"},
	{"expected", "likely"},
	{"several", "a number of"},
	{"began", "started"},
	{"quickly", "rapidly", "fast"},
	{"overnight", "during the night"},
	{"people", "residents", "locals"},
	{"meeting", "session"},
	{"workers", "staff", "employees"},
	{"company", "firm", "group"},
	{"announced", "said", "confirmed"},
	{"hours", "hours in all"},
	{"officials", "authorities"},
	{"since", "ever since"},
	{"could", "might", "may"},
	{"would", "will"},
	{"after", "following"},
	{"main", "principal", "central"},
	{"strong", "powerful", "fierce"},
	{"told", "informed"},
	{"several", "many"},
	{"began", "got under way"},
	{"reported", "recorded", "saw"},
	{"nearly", "almost"},
	{"weeks", "weeks to come"},
	{"residents", "householders", "families"},
	{"the town", "the area", "the district"},
	{"went", "headed"},
	{"plan", "proposal", "scheme"},
	{"heavy", "torrential", "intense"},
	{"fell", "dropped", "slid"},
	{"said", "argued", "explained"},
}

var firstNames = []string{
	"Ada", "Bram", "Celia", "Doran", "Elin", "Fenna", "Gideon", "Hale", "Ines", "Jory",
	"Kesia", "Lorne", "Mira", "Nils", "Orla", "Pell", "Quinta", "Roan", "Sabine", "Tavi",
	"Ulla", "Vance", "Wren", "Xavi", "Yara", "Zoltan", "Anouk", "Basil", "Cato", "Dalia",
	"Emrys", "Frey", "Greta", "Hollis", "Ilse", "Jasper", "Katrin", "Leif", "Maren", "Noor",
	"Otto", "Petra", "Rune", "Saskia", "Teodor", "Una", "Viggo", "Willa", "Yusuf", "Zelda",
}

var (
	onsets    = []string{"b", "br", "c", "d", "dr", "f", "g", "gr", "h", "k", "l", "m", "n", "p", "pr", "r", "s", "st", "t", "tr", "v", "w", "th", "sh"}
	vowels    = []string{"a", "e", "i", "o", "u", "ai", "ou", "ea", "y"}
	codas     = []string{"n", "r", "l", "m", "s", "nd", "rt", "st", "ck", "th", "", "", "rn", "lk"}
	surnameTo = []string{"", "", "son", "ley", "ford", "wick", "ton", "er", "s"}
	placeTo   = []string{"ton", "mere", "bury", "vale", "field", "haven", "stead", "more", "wick", "port", "by", "holm"}
	papers    = []string{"Courier", "Ledger", "Herald", "Gazette", "Post", "Chronicle", "Observer", "Tribune", "Record", "Dispatch", "Sentinel", "Examiner"}
	wireKinds = []string{"Press Agency", "Wire Service", "News Agency"}
	weekdays  = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
)

// Common words head the Zipf vocabulary; syllable words make its long tail.
var (
	commonNouns = []string{
		"housing", "water", "transport", "energy", "budget", "school", "hospital", "road", "tax", "rent",
		"wage", "price", "market", "harbour", "bridge", "park", "library", "police", "court", "council",
		"farm", "factory", "station", "airport", "river", "coast", "forest", "village", "street", "community",
		"pension", "insurance", "fuel", "grain", "timber", "fishing", "tourism", "broadband", "postal service", "waste",
		"recycling", "parking", "traffic", "noise", "pollution", "heating", "electricity", "sewage", "drainage", "planning",
		"zoning", "licensing", "childcare", "elderly care", "nursing", "dentistry", "ambulance", "fire safety", "flood risk", "drought",
		"harvest", "livestock", "dairy", "shipping", "freight", "warehouse", "retail", "hospitality", "construction", "mining",
		"steel", "textile", "software", "banking", "lending", "savings", "debt", "inflation", "interest", "investment",
		"subsidy", "grant", "tariff", "customs", "border", "migration", "tenancy", "mortgage", "landlord", "tenant",
		"commuter", "cyclist", "pedestrian", "bus route", "tram line", "ferry", "canal", "reservoir", "dam", "pipeline",
		"curriculum", "exam", "university", "apprenticeship", "museum", "theatre", "stadium", "festival", "market square", "town hall",
		"sports club", "playground", "cemetery", "allotment", "orchard", "vineyard", "brewery", "bakery", "pharmacy", "clinic",
	}
	adjectives = []string{
		"local", "regional", "national", "long", "new", "old", "difficult", "costly", "lasting", "sharp",
		"slow", "gradual", "urgent", "public", "private", "rural", "urban", "coastal", "historic", "modern",
		"fragile", "growing", "familiar", "uneven", "quiet", "bitter", "steady", "broad", "narrow", "wider",
	}
)

// details are what sets one event apart from others of its kind: {W1}
// {W2} are words of the story's own, {PLACE2} a second place.
var details = []string{
	"Much of the attention has focused on the {W1} near {W2} Road.",
	"{P2} pointed to the {W1} as the main concern.",
	"The {W1} had been the subject of complaints in {PLACE2} for months.",
	"Footage shared online showed the {W1} beside the {W2} building.",
	"People living on {W2} Lane said the {W1} had made matters worse.",
	"A similar problem with the {W1} was reported in {PLACE2} last spring.",
	"The {W2} committee is due to discuss the {W1} at its next sitting.",
	"Witnesses described a queue stretching from the {W1} to {W2} Square.",
}

// asides open a sentence; outlets add them in their own way.
var asides = []string{"Meanwhile, ", "Separately, ", "Earlier, ", "In a statement, ", "By the afternoon, ", "As of {DAY}, "}

// general facts fit any kind of event; each story takes a few, so that
// stories of one kind share a skeleton sentence only now and then.
var general = []string{
	"The {ORG} said it would publish a full account of what went wrong by {DATE}.",
	"{P1} met representatives from {PLACE2} late on {DAY} to discuss the {W1}.",
	"Insurers have begun assessing claims linked to the {W1}.",
	"A hotline has been set up and had taken {N1} calls by the evening.",
	"Opposition members in {PLACE} called for an inquiry into the handling of the {W1}.",
	"Local businesses near {W2} Street said trade had almost stopped.",
	"{S2} said that {N3} separate warnings had been ignored over the past year.",
	"Neighbouring {PLACE2} offered staff and equipment to help.",
	"The last comparable episode in {PLACE} happened more than a decade ago.",
	"An official briefing is due at the {W2} offices on {DATE}.",
	"The {ORG} has faced criticism before over its approach to {T}.",
	"Volunteers from the {W2} association handed out food and blankets.",
	"Traffic on the ring road around {PLACE} was heavy well into the evening.",
	"{P2} spent most of {DAY} at the {W1}, speaking to anyone who would listen.",
	"Figures released by the {ORG} put the cost so far at {N2} thousand.",
	"Two people were questioned, though no one has been charged in connection with the {W1}.",
	"The mayor of {PLACE2} said her town was watching events closely.",
	"A petition about the {W1} gathered {N1} signatures in a single day.",
	"Church halls in {PLACE} stayed open through the night.",
	"The {ORG} apologised for delays in its updates to the public.",
	"{S1} is expected to give evidence to a committee in {PLACE2} next month.",
	"Questions have been raised about the role of the {W2} contractor.",
	"A local radio station in {PLACE} cleared its schedule to carry updates.",
	"Satellite images showed the extent of the {W1} from above.",
}

// remarks fit any event; with the theme's own, each story draws its
// speakers' words from here.
var remarks = []string{
	"I have lived in {PLACE} all my life and I have never seen anything like it",
	"We need answers about the {W1}, and we need them this week",
	"There will be time for blame later; today is about helping people",
	"Anyone who tells you this was unforeseeable has not read the reports on {T}",
	"Our teams have worked around the clock since {DAY}",
	"The people of {PLACE2} have shown what neighbours are for",
	"We will publish everything we know as soon as we know it",
	"It is too early to say what caused this",
	"I am angry, and I think most people in {PLACE} are angry",
	"We warned about the {W1} {N3} times and nobody listened",
	"This is a test of whether the {ORG} can be trusted",
	"Nothing matters more right now than getting people home safely",
	"We will learn from this, because we have to",
	"I spoke to families on {W2} Street this morning and they are exhausted",
	"The figures speak for themselves",
	"We are not going anywhere until this is resolved",
}

// headlines fit any event.
var headlines = []string{
	"{PLACE}: questions grow over the {W1}",
	"What we know about the {PLACE} {T} crisis",
	"{S1} under pressure as {PLACE} waits for answers",
	"{PLACE2} steps in to help {PLACE}",
	"The {W1} at the heart of the {PLACE} row",
	"{ORG} faces scrutiny after {DAY} events",
}
