"""The one column spec of the catalogue's spreadsheets: what import reads and export writes.

A POC is one row. Lists (themes, makers, tags, gallery) are separated by `;`, so that a file
saved by a French Excel (whose cell separator is also `;`) still reads: the cell is quoted.
Each column says how a page gives its cell (`export_row`); the importer parses cells back with
the helpers below, and compares a row with its page through the same cells, so "unchanged"
means "export would write the same row".
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from wagtail.rich_text import RichText

from ..admin_search import folded
from ..models import MakerRole, POCPage, Stage

LIST_SEPARATOR = ";"
PARAGRAPH_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Column:
    name: str
    description: Any  # a lazy translation: what staff write in the cell
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("reference", _("Your own id for the POC, unique in the file."), required=True),
    Column("title", _("The POC's title."), required=True),
    Column("summary", _("One or two sentences, at most 280 characters."), required=True),
    Column("body", _("Plain paragraphs, separated by a blank line.")),
    Column("themes", _("One to three themes, by slug or name, separated by ;")),
    Column("makers", _("Makers as “name (role)”, separated by ;")),
    Column("commune", _("The commune's name or INSEE code.")),
    Column("address", _("The address.")),
    Column("latitude", _("Latitude in decimal degrees (with the longitude, or neither).")),
    Column("longitude", _("Longitude in decimal degrees.")),
    Column("tags", _("Tags, separated by ;")),
    Column("stage", _("understand, imagine, experiment or deploy (or their names)."), True),
    Column("year", _("The POC's year, for example 2020.")),
    Column("hero_image", _("The file name of the hero image in the ZIP.")),
    Column("hero_alt", _("The hero image's alternative text (required with an image).")),
    Column("hero_credit", _("The hero image's credit.")),
    Column("gallery", _("Gallery image file names in the ZIP, separated by ;")),
    Column("gallery_alt", _("The gallery images' alternative texts, in the same order, by ;")),
    Column("gallery_credit", _("The gallery images' credits, in the same order, by ;")),
    Column("video_url", _("The address of a video (YouTube, Vimeo…).")),
)
HEADERS: tuple[str, ...] = tuple(column.name for column in COLUMNS)

# An example row, for the template file staff download.
EXAMPLE_ROW: dict[str, str] = {
    "reference": "POC-001",
    "title": "Des bancs de réemploi pour la Grand-Place",
    "summary": "Des bancs fabriqués avec le bois des friches, dessinés avec les habitants.",
    "body": "Les habitants manquaient de places assises.\n\nTrois prototypes ont été testés.",
    "themes": "economie-circulaire; Ville collaborative",
    "makers": "Ville de Roubaix (holder); Atelier Trame (designer)",
    "commune": "Roubaix",
    "address": "Grand-Place",
    "latitude": "50.6903",
    "longitude": "3.1817",
    "tags": "réemploi; mobilier urbain",
    "stage": "experiment",
    "year": "2020",
    "hero_image": "bancs.jpg",
    "hero_alt": "Trois bancs en bois clair sur la Grand-Place",
    "hero_credit": "Atelier Trame, Bancs de réemploi, Roubaix, 2020",
    "gallery": "prototype.jpg",
    "gallery_alt": "Prototype en carton",
    "gallery_credit": "Atelier Trame, 2020",
    "video_url": "",
}


def split_list(cell: str) -> list[str]:
    return [item.strip() for item in cell.split(LIST_SEPARATOR) if item.strip()]


def join_list(items: list[str]) -> str:
    return f"{LIST_SEPARATOR} ".join(items)


def split_list_keeping_blanks(cell: str, count: int) -> list[str]:
    """Texts matched one to one with `count` files: a blank one stays blank, in its place."""
    items = [item.strip() for item in cell.split(LIST_SEPARATOR)] if cell.strip() else []
    return (items + [""] * count)[:count] if count else items


_MAKER = re.compile(r"^(?P<name>.+?)\s*\((?P<role>[^()]+)\)\s*$")


def parse_maker(item: str) -> tuple[str, str]:
    """`Atelier Trame (designer)` as (name, role text); no parenthesis means no role given."""
    match = _MAKER.match(item)
    if match is None:
        return item.strip(), ""
    return match["name"].strip(), match["role"].strip()


def _choice_names(choices: type) -> dict[str, str]:
    """Each choice by its value and its label in French and English, folded."""
    names: dict[str, str] = {}
    for value, label in choices.choices:
        names[folded(value)] = value
        for language in ("en", "fr"):
            with override(language):
                names[folded(str(label))] = value
    return names


def role_value(text: str) -> str | None:
    return _choice_names(MakerRole).get(folded(text)) if text else MakerRole.HOLDER.value


def stage_value(text: str) -> str | None:
    return _choice_names(Stage).get(folded(text))


def body_from_text(text: str, video_url: str) -> list[tuple[str, Any]]:
    """Escaped paragraphs (a single line break kept), then the video, as the body's blocks."""
    blocks: list[tuple[str, Any]] = [
        ("paragraph", RichText(linebreaks(paragraph.strip(), autoescape=True)))
        for paragraph in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
        if paragraph.strip()
    ]
    if video_url:
        blocks.append(("video", {"embed": video_url, "caption": ""}))
    return blocks


_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def rich_text_as_plain(source: str) -> str:
    paragraphs = re.split(r"</p>\s*<p[^>]*>", source.strip())
    plain = (html.unescape(_TAG.sub("", _BREAK.sub("\n", part))).strip() for part in paragraphs)
    return PARAGRAPH_SEPARATOR.join(part for part in plain if part)


def body_as_text(page: POCPage) -> tuple[str, str]:
    """The body's paragraphs as plain text and its first video's URL. Other blocks (headings,
    quotes, images...) have no column: the README says an update replaces them."""
    paragraphs: list[str] = []
    video = ""
    for block in page.body:
        if block.block_type == "paragraph":
            text = rich_text_as_plain(block.value.source)
            if text:
                paragraphs.append(text)
        elif block.block_type == "video" and not video and block.value.get("embed"):
            video = block.value["embed"].url
    return PARAGRAPH_SEPARATOR.join(paragraphs), video


def image_file_name(image: Any) -> str:
    """The name an image has in an export's ZIP and its row: its stored file's name."""
    return PurePosixPath(image.file.name).name if image is not None else ""


def number_text(value: float | int | None) -> str:
    return "" if value is None else format(value, "g") if isinstance(value, float) else str(value)


def export_row(page: POCPage) -> dict[str, str]:
    """A POC as one row of cells, in the order of `HEADERS` (relations prefetched or not)."""
    body, video = body_as_text(page)
    gallery = list(page.gallery_images.all())
    return {
        "reference": page.import_reference or f"page-{page.pk}",
        "title": page.title,
        "summary": page.summary,
        "body": body,
        "themes": join_list([theme.slug for theme in page.themes.all()]),
        "makers": join_list([f"{link.maker.name} ({link.role})" for link in page.poc_makers.all()]),
        "commune": page.commune.insee_code if page.commune_id else "",
        "address": page.address,
        "latitude": number_text(page.latitude),
        "longitude": number_text(page.longitude),
        "tags": join_list(sorted((tag.name for tag in page.tags.all()), key=str.lower)),
        "stage": page.stage,
        "year": number_text(page.year),
        "hero_image": image_file_name(page.hero_image) if page.hero_image_id else "",
        "hero_alt": page.hero_alt_text,
        "hero_credit": page.hero_credit,
        "gallery": join_list([image_file_name(item.image) for item in gallery]),
        "gallery_alt": join_list([item.alt_text for item in gallery]),
        "gallery_credit": join_list([item.credit for item in gallery]) if gallery else "",
        "video_url": video,
    }
