"""The English of `words`: each list and dict aligned with its French one, by index or key.

Planning draws from the French lists as before and takes the English at the same index, so a
POC's English text translates its French text and the French plan does not change. English
subjects carry the article English needs ("the station forecourt", "bus stops"). Commune and
maker names are proper nouns and stay French.
"""

SUBJECTS_BY_THEME: dict[str, list[str]] = {
    "action-publique": [
        "the town hall reception",
        "administrative procedures",
        "public service signage",
        "the participatory budget",
        "online forms",
        "the council chamber",
        "the register office",
        "the neighbourhood library",
        "digital service points",
        "public consultation",
        "official letters",
        "social support drop-ins",
    ],
    "economie-circulaire": [
        "reclaimed street furniture",
        "textile waste",
        "construction materials",
        "deposit return for packaging",
        "neighbourhood composting",
        "unsold food",
        "repairing everyday objects",
        "logistics pallets",
        "timber from brownfield sites",
        "school canteen food waste",
        "workwear",
        "the reuse centre",
    ],
    "habiter": [
        "building entrance halls",
        "community gardens",
        "school playgrounds",
        "student housing",
        "communal areas in residential blocks",
        "courée frontages",
        "the spaces around residential blocks",
        "intergenerational housing",
        "balconies",
        "terraced house renovation",
        "courées",
        "neighbourhood squares",
    ],
    "mobilite": [
        "bus stops",
        "cycle lanes",
        "cycle parking",
        "the school run",
        "the station forecourt",
        "walking in town",
        "rural car sharing",
        "pedestrian crossings",
        "metro platforms",
        "the river shuttle",
        "the streets along the tram line",
        "last-mile delivery",
    ],
    "prendre-soin": [
        "A&E reception",
        "care home bedrooms",
        "family carers",
        "the health centre waiting room",
        "older people's mealtimes",
        "isolation among older people",
        "the maternity ward",
        "rest for care staff",
        "students' access to healthcare",
        "young people's mental health",
        "neighbourhood clinics",
        "going home after hospital",
    ],
    "ville-collaborative": [
        "industrial brownfield sites",
        "market squares",
        "street parties",
        "community hubs",
        "the banks of the Deûle",
        "urban parks",
        "play streets",
        "local shops",
        "shared workshops",
        "the village square",
        "towpaths",
        "village halls",
    ],
}

# Aligned with `words.TITLE_OPENINGS`; the commune follows ("… in Roubaix").
TITLE_TEMPLATES = [
    "Rethinking {subject}",
    "Reinventing {subject}",
    "Re-enchanting {subject}",
    "Inhabiting {subject} differently",
    "New signage for {subject}",
    "Participatory workshop on {subject}",
    "Laboratory for {subject}",
    "Service design for {subject}",
    "Furniture prototype for {subject}",
    "Sensory trail around {subject}",
    "Toolkit for {subject}",
    "Sensory map of {subject}",
    "Experimentation kit for {subject}",
    "Design in the service of {subject}",
    "Observatory of {subject}",
    "Telling the story of {subject}",
]
TITLE_PLACE = "{title} in {commune}"

PUBLICS = [
    "residents",
    "service users",
    "council staff",
    "pupils",
    "older people",
    "shopkeepers",
    "families",
    "students",
    "local community groups",
    "disabled people",
    "young people from the neighbourhood",
    "healthcare workers",
]

OUTCOMES = [
    "prototypes tested in real-life conditions",
    "modular furniture made locally",
    "a clearer, more welcoming route",
    "a good-practice guide shared between communes",
    "simple, accessible signage",
    "new uses, designed from residents' point of view",
    "a service redesigned with the people who use it",
    "full-scale mock-ups installed on site",
    "a lean, open digital tool",
    "regular workshops that carry on beyond 2020",
    "a user charter written together",
    "reclaimed materials turned into useful objects",
]

SUMMARY_VERBS = [
    "rethought",
    "reinvented",
    "explored",
    "revisited",
    "transformed",
    "tested",
]

SUMMARY = "{holder} and {designer} {verb} {subject} with {public}: {outcome}."
SUMMARY_PLACE = " A proof of concept carried out in {commune} in {year}."

# The stages' English labels, as the site shows them.
STEP_HEADINGS = {
    "understand": "Understanding needs",
    "imagine": "Imagining answers",
    "experiment": "Experimenting",
    "deploy": "Deploying",
}

STEP_SENTENCES = {
    "understand": [
        "The team spent several weeks on the ground, observing {subject} and listening to "
        "{public}.",
        "Interviews, walking tours and workshops helped map the small frustrations of daily life.",
        "The designers shared the life of the place: opening hours, flows, repeated gestures, "
        "small workarounds.",
        "A simple questionnaire, handed out in person, gathered more than two hundred accounts.",
        "The findings, presented in pictures, surprised even staff who had known the place for "
        "years.",
    ],
    "imagine": [
        "Three options were sketched out with {public}, then compared at an open workshop.",
        "The ideas took shape in cardboard, wood and paper, so they could be discussed hands-on.",
        "The approach: keep it simple, repairable and achievable with the commune's own means.",
        "Use scenarios were acted out on site, in short sketches.",
        "Particular attention was paid to accessibility and to everyone's comfort.",
    ],
    "experiment": [
        "A first prototype was installed for three months and observed every week.",
        "Feedback from {public} led to two rounds of adjustments.",
        "The trial showed what worked and, above all, what did not.",
        "Simple sensors and a logbook made it possible to measure the effects on how the place "
        "is used.",
        "The prototype was built by a local social enterprise that helps people back into work.",
    ],
    "deploy": [
        "Building on these results, the scheme is being rolled out in other neighbourhoods of "
        "the Métropole.",
        "An implementation guide now lets other communes take it up.",
        "Council services have built the approach into the way they work.",
        "The final version, made locally, is looked after by residents themselves.",
        "The project continues beyond 2020, led by a group of local partners.",
    ],
}

QUOTES = [
    "We don't design for people, we design with them.",
    "The prototype taught us more than six months of meetings.",
    "What matters is that people have made the place their own again.",
    "We found that users had already come up with their own solutions.",
    "Here, design is first and foremost a way of listening.",
    "Keeping it simple was the hardest part.",
    "Everyone left wanting to carry on.",
    "Testing for real changes everything: you see straight away what isn't working.",
]
QUOTE_BY = "{designer}, designer"

# Aligned with `plans.GALLERY_CAPTIONS`.
GALLERY_CAPTIONS = [
    "Co-design workshop with users",
    "First cardboard prototype",
    "Installation on site",
    "Public presentation of the results",
    "Testing in real-life conditions",
    "Full-scale mock-up",
    "Launch of the scheme",
    "Field notebook",
]
GALLERY_ALT_TEXT = "{caption} for the project “{title}”, {commune}"
HERO_ALT_TEXT = (
    "Visual for the project “{title}”: geometric shapes in the colours of the {theme} theme, "
    "{commune}"
)
CREDIT = "{designer}, {title}, {commune}, {year}"

# Maker bios; `{pronoun}` is "she" or "he" for a designer, "it" for an organisation.
BIO_OPENINGS = {
    "designer": "Designer based in {commune}, working on {field}.",
    "studio": "Design studio based in {commune}, specialising in {field}.",
    "company": "Company in {commune} committed to {field}.",
    "association": "Association in {commune}, working on {field}.",
    "school": "Educational institution in {commune}, focused on {field}.",
    "public_body": "Local authority committed to {field}.",
    "cultural_venue": "Cultural venue in {commune}, open to {field}.",
    "collective": "Residents' collective in {commune}, working on {field}.",
}

BIO_FIELDS = [
    "service design and public policy",
    "reusing materials and making things locally",
    "public space and shared uses",
    "active travel",
    "care and support for people",
    "resident participation",
    "graphic design and signage",
    "housing and shared spaces",
]

BIO_CLOSINGS = [
    "For Lille Métropole World Design Capital 2020, {pronoun} took part in several POCs.",
    "Partner in several proofs of concept in 2020.",
    "Their projects always involve users from the very first sketches.",
    "A team committed to making things together and to full-scale prototypes.",
]
BIO_PRONOUNS = {"elle": "she", "il": "he"}
ORGANISATION_PRONOUN = "it"

# The pages that migration 0002 seeds in French, by model field.
HOME_PAGE = {
    "title": "Design in Lille Métropole",
    "introduction": (
        "More than 600 proofs of concept devised with designers for Lille Métropole, "
        "World Design Capital 2020."
    ),
}
CATALOGUE_PAGE = {
    "title": "POC catalogue",
    "introduction": "Browse the projects by theme, commune, maker or stage.",
}
