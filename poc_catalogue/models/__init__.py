"""The POC catalogue's models: its classification, its pages, their links and cards.

`taxonomy` (stages, themes, communes, makers) ← `links` (a POC's tags, makers and gallery) ←
`poc` (the POC and catalogue pages) ← `cards` (what a card shows, read as rows) ← `home`;
`trails` (discovery trails through POCs) builds on `poc` and `cards`.
"""

from .cards import CardReader, Label, MakerLabel, POCCard, ThemeLabel
from .home import HomePage, HomePageFeaturedPOC
from .links import POCGalleryImage, POCMaker, POCPageTag
from .poc import CatalogueIndexPage, POCPage, POCPageQuerySet, prefetch_poc_relations
from .published_version import PublishedVersion
from .taxonomy import Commune, Maker, MakerKind, MakerRole, Stage, Theme, theme_label
from .trails import (
    TrailIndexPage,
    TrailMention,
    TrailPage,
    TrailRoute,
    TrailStop,
    TrailSummary,
    trail_routes,
    trails_through,
)

__all__ = [
    "CardReader",
    "CatalogueIndexPage",
    "Commune",
    "HomePage",
    "HomePageFeaturedPOC",
    "Label",
    "Maker",
    "MakerKind",
    "MakerLabel",
    "MakerRole",
    "POCCard",
    "POCGalleryImage",
    "POCMaker",
    "POCPage",
    "POCPageQuerySet",
    "POCPageTag",
    "PublishedVersion",
    "Stage",
    "Theme",
    "ThemeLabel",
    "TrailIndexPage",
    "TrailMention",
    "TrailPage",
    "TrailRoute",
    "TrailStop",
    "TrailSummary",
    "prefetch_poc_relations",
    "theme_label",
    "trail_routes",
    "trails_through",
]
