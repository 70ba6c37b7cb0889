"""The catalogue's limits, in one place: a leaf every app may import, importing nothing.

What a POC may hold, which years the programme spans, and how much a visitor may ask of the
catalogue at once.
"""

# A POC
MAX_THEMES_PER_POC = 3
MAX_SUMMARY_LENGTH = 280
FIRST_YEAR = 2015
LAST_YEAR = 2035
YEARS = range(FIRST_YEAR, LAST_YEAR + 1)
# What a maker may give on the public form: when the project was tried out, or started. Staff
# may record later years (a planned deployment); a proposal does not.
LAST_PROPOSED_YEAR = 2030
PROPOSED_YEARS = range(FIRST_YEAR, LAST_PROPOSED_YEAR + 1)

# A listing or a search
PAGE_SIZE = 24
# Elasticsearch refuses to page past 10,000 hits by default; 400 pages of 24 stay below it.
MAX_PAGE = 400
MAX_QUERY_LENGTH = 200
MAX_VALUES_PER_FACET = 50
MAX_VALUE_LENGTH = 100

# A visitor's selection (`/selection/?poc=1&poc=2`): its link is also an export's query, which
# takes as many `poc` values as a facet takes values (the open-data exports' `poc` too).
MAX_SELECTION_SIZE = MAX_VALUES_PER_FACET
