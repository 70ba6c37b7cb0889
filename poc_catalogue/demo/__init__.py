"""A realistic demo catalogue, built from a seed: makers, tags, images and POC pages.

`planning` composes every maker and POC from the seed alone (pure, no database, its words in
`words`, their English in `words_en`, and its plan as plain values in `plans`); `loading`
writes what is missing, generated pictures from `pictures`, POC pages through `page_tree`,
which alone touches Wagtail's private tree API, and the three discovery trails of `trails`.
`make run` loads 600 POCs; benchmarks load tens of thousands.
"""

from .loading import LoadReport, load_demo_catalogue
from .planning import plan_catalogue
from .plans import (
    MAKER_COUNTS,
    CataloguePlan,
    CommuneRef,
    EnglishGalleryText,
    EnglishPOCText,
    MakerPlan,
    POCPlan,
    ThemeRef,
)

__all__ = [
    "MAKER_COUNTS",
    "CataloguePlan",
    "CommuneRef",
    "EnglishGalleryText",
    "EnglishPOCText",
    "LoadReport",
    "MakerPlan",
    "POCPlan",
    "ThemeRef",
    "load_demo_catalogue",
    "plan_catalogue",
]
