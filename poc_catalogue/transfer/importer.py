"""Importing POCs from a spreadsheet and a ZIP of images: check every row, plan, then apply.

`plan_import` reads and checks every row and says what it would do with it (create, update,
leave unchanged, refuse, with the row, the column and a message in plain French); it writes
nothing, and is the dry run. `apply_import` carries out a plan, each row in its own
transaction: a row that fails leaves nothing of itself (its image files are deleted too), and
the rows before it stay imported. Rows are matched to POCs by the staff's `reference`, so the
same file imported twice changes nothing the second time; a changed row becomes a new
revision of its POC. Pages stay drafts unless `publish`, which publishes each revision the way
the admin does (`revision.publish()`), so the index follows through the usual signals.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.coreutils import find_available_slug
from wagtail.images import get_image_model
from wagtail.utils.file import hash_filelike

from ..admin_search import folded
from ..geography import METROPOLE_EXTENT
from ..images import delete_image_files
from ..limits import FIRST_YEAR, LAST_YEAR, MAX_SUMMARY_LENGTH, MAX_THEMES_PER_POC
from ..models import (
    CatalogueIndexPage,
    Commune,
    Maker,
    MakerKind,
    POCGalleryImage,
    POCMaker,
    POCPage,
    Theme,
)
from ..published_cache import one_bump_for_the_block
from ..signals import publishing_in_batch
from ..slugs import free_slug, slug_base
from ..translations import source_language
from .archive import ArchiveImage, ImageArchive
from .batching import BATCH_SIZE, bookkeeping_in_batches
from .columns import (
    body_as_text,
    body_from_text,
    parse_maker,
    rich_text_as_plain,
    role_value,
    split_list,
    split_list_keeping_blanks,
    stage_value,
)
from .reading import SourceRow, read_rows

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


class Action(TextChoices):
    CREATE = "create", gettext_lazy("created")
    UPDATE = "update", gettext_lazy("updated")
    UNCHANGED = "unchanged", gettext_lazy("unchanged")
    REFUSED = "refused", gettext_lazy("refused")


PLANNED_LABELS = {
    Action.CREATE: gettext_lazy("to create"),
    Action.UPDATE: gettext_lazy("to update"),
}


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class ImageChoice:
    """An image a row names: one already in the library (`image_id`) or one to add from the ZIP."""

    name: str
    image_id: int | None = None
    new: ArchiveImage | None = None


@dataclass(frozen=True)
class GalleryItem:
    image: ImageChoice
    alt_text: str
    credit: str


@dataclass
class PlannedPOC:
    """A row checked and resolved: everything the POC will hold."""

    reference: str
    title: str
    summary: str
    body: str
    video_url: str
    themes: list[Theme]
    makers: list[tuple[str, Maker | None, str]]  # name, the existing maker or None, role
    commune: Commune | None
    address: str
    latitude: float | None
    longitude: float | None
    tags: list[str]
    stage: str
    year: int | None
    hero: ImageChoice | None
    hero_alt: str
    hero_credit: str
    gallery: list[GalleryItem]


@dataclass
class RowResult:
    number: int
    reference: str
    title: str
    action: str
    problems: list[Problem] = field(default_factory=list)
    page_id: int | None = None
    planned: PlannedPOC | None = field(default=None, repr=False)
    applied: bool = False  # a dry run's rows say what would be done: "to create"

    @property
    def action_label(self) -> str:
        if not self.applied and self.action in PLANNED_LABELS:
            return str(PLANNED_LABELS[self.action])
        return str(Action(self.action).label)


@dataclass
class ImportReport:
    rows: list[RowResult]
    publish: bool = False
    applied: bool = False

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {action.value: self.count(action.value) for action in Action}

    @property
    def refused(self) -> bool:
        return self.count(Action.REFUSED) > 0

    @property
    def problems(self) -> list[Problem]:
        return [problem for row in self.rows for problem in row.problems]

    def summary(self) -> str:
        if self.applied:
            text = _(
                "%(create)d created, %(update)d updated, %(unchanged)d unchanged, "
                "%(refused)d refused."
            )
        else:
            text = _(
                "Dry run: %(create)d to create, %(update)d to update, %(unchanged)d unchanged, "
                "%(refused)d refused."
            )
        return text % self.counts


class Lookups:
    """What rows are checked against, read once per import: themes, communes, makers."""

    def __init__(self) -> None:
        self.themes: dict[str, Theme] = {}
        for theme in Theme.objects.all():
            for name in (theme.slug, theme.name, theme.name_en):
                self.themes[folded(name)] = theme
        self.communes = list(Commune.objects.all())
        self.communes_by_key: dict[str, Commune] = {}
        for commune in self.communes:
            for key in (commune.insee_code, folded(commune.name), commune.slug):
                self.communes_by_key[key] = commune
        self.makers: dict[str, Maker] = {}
        for maker in Maker.objects.order_by("-pk"):  # the oldest wins a shared name
            self.makers[folded(maker.name)] = maker

    def commune(self, text: str) -> Commune | None:
        key = folded(text).strip()
        return self.communes_by_key.get(key) or self.communes_by_key.get(
            "-".join(key.replace("'", " ").split())
        )

    def commune_suggestion(self, text: str) -> str | None:
        names = {folded(commune.name): commune.name for commune in self.communes}
        close = difflib.get_close_matches(folded(text), list(names), n=1, cutoff=0.6)
        return names[close[0]] if close else None

    def maker(self, name: str) -> Maker | None:
        return self.makers.get(folded(name))


def _existing_image_by_name(name: str, sha1: str | None = None) -> int | None:
    """An image in the library whose file has this name (and these contents, if given)."""
    for image in get_image_model().objects.filter(file__endswith=name).order_by("pk"):
        if PurePosixPath(image.file.name).name.casefold() != name.casefold():
            continue
        if sha1 is None:
            return image.pk
        # Images uploaded before Wagtail hashed files have no hash stored: hash them here.
        try:
            if (image.file_hash or _hash_of(image)) == sha1:
                return image.pk
        except OSError:
            continue
    return None


def _hash_of(image: Any) -> str:
    with image.open_file() as opened:
        return hash_filelike(opened)


class RowChecker:
    """Checks one row's cells, collecting every problem rather than stopping at the first."""

    def __init__(self, lookups: Lookups, archive: ImageArchive, publish: bool) -> None:
        self.lookups = lookups
        self.archive = archive
        self.publish = publish
        self.known_hashes: dict[str, int] = {}

    def check(self, row: SourceRow) -> tuple[PlannedPOC | None, list[Problem]]:
        cells = row.cells
        problems: list[Problem] = []

        def problem(column: str, message: str) -> None:
            problems.append(Problem(row.number, column, message))

        for column, message in (
            ("reference", _("Give the POC a reference: your own id, unique in the file.")),
            ("title", _("Give the POC a title.")),
            ("summary", _("Write a short summary: it appears on cards and in search results.")),
        ):
            if not cells[column]:
                problem(column, message)
        if len(cells["reference"]) > 100:
            problem("reference", _("Keep the reference to 100 characters at most."))
        if len(cells["title"]) > 255:
            problem("title", _("Keep the title to 255 characters at most."))
        if len(cells["summary"]) > MAX_SUMMARY_LENGTH:
            problem(
                "summary",
                _("Keep the summary to %(limit)d characters at most (it has %(count)d).")
                % {"limit": MAX_SUMMARY_LENGTH, "count": len(cells["summary"])},
            )

        themes = []
        for name in split_list(cells["themes"]):
            theme = self.lookups.themes.get(folded(name))
            if theme is None:
                problem(
                    "themes",
                    _("“%(name)s” is not one of the six themes (%(themes)s).")
                    % {"name": name, "themes": ", ".join(self._theme_slugs())},
                )
            elif theme not in themes:
                themes.append(theme)
        if len(themes) > MAX_THEMES_PER_POC:
            problem("themes", _("Choose at most %(max)d themes.") % {"max": MAX_THEMES_PER_POC})

        makers: list[tuple[str, Maker | None, str]] = []
        for item in split_list(cells["makers"]):
            name, role_text = parse_maker(item)
            role = role_value(role_text)
            if role is None:
                problem(
                    "makers",
                    _("“%(role)s” is not a maker's role: write holder, designer or partner.")
                    % {"role": role_text},
                )
            elif len(name) > 200:
                problem("makers", _("A maker's name has 200 characters at most."))
            elif folded(name) not in {folded(known) for known, _maker, _role in makers}:
                makers.append((name, self.lookups.maker(name), role))

        commune = None
        if cells["commune"]:
            commune = self.lookups.commune(cells["commune"])
            if commune is None:
                suggestion = self.lookups.commune_suggestion(cells["commune"])
                message = _("The commune “%(name)s” is not one of the Métropole's 95 communes.") % {
                    "name": cells["commune"]
                }
                if suggestion:
                    message += " " + _("Did you mean “%(suggestion)s”?") % {
                        "suggestion": suggestion
                    }
                problem("commune", message)

        latitude = self._number(cells, "latitude", problem)
        longitude = self._number(cells, "longitude", problem)
        if bool(cells["latitude"]) != bool(cells["longitude"]):
            problem("latitude", _("Give both latitude and longitude, or neither."))
        elif (
            latitude is not None
            and longitude is not None
            and not METROPOLE_EXTENT.contains(latitude, longitude)
        ):
            problem(
                "latitude",
                _("This position is outside the Lille Métropole. Check latitude and longitude."),
            )

        stage = stage_value(cells["stage"]) if cells["stage"] else None
        if stage is None:
            problem(
                "stage",
                _("“%(stage)s” is not a stage: write understand, imagine, experiment or deploy.")
                % {"stage": cells["stage"]}
                if cells["stage"]
                else _("Give the stage the POC has reached."),
            )

        year = None
        if cells["year"]:
            try:
                year = int(cells["year"])
            except ValueError:
                year = None
            if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
                problem(
                    "year",
                    _("“%(year)s” is not a year between %(first)d and %(last)d.")
                    % {"year": cells["year"], "first": FIRST_YEAR, "last": LAST_YEAR},
                )
                year = None

        if cells["video_url"]:
            try:
                URLValidator(schemes=["http", "https"])(cells["video_url"])
            except ValidationError:
                problem("video_url", _("The video address is not a web address."))

        hero = None
        if cells["hero_image"]:
            hero = self._image(cells["hero_image"], "hero_image", problem)
            if not cells["hero_alt"]:
                problem(
                    "hero_alt",
                    _("Describe the image %(name)s for people who cannot see it.")
                    % {"name": cells["hero_image"]},
                )
        gallery_names = split_list(cells["gallery"])
        alts = split_list_keeping_blanks(cells["gallery_alt"], len(gallery_names))
        credits = split_list_keeping_blanks(cells["gallery_credit"], len(gallery_names))
        gallery = []
        for name, alt, credit in zip(gallery_names, alts, credits, strict=True):
            image = self._image(name, "gallery", problem)
            if not alt:
                problem(
                    "gallery_alt",
                    _("Describe the image %(name)s for people who cannot see it.") % {"name": name},
                )
            if image is not None:
                gallery.append(GalleryItem(image, alt, credit))

        if self.publish:
            self._check_publishable(cells, themes, makers, commune, year, hero, problem)
        if problems:
            return None, problems
        return (
            PlannedPOC(
                reference=cells["reference"],
                title=cells["title"],
                summary=cells["summary"],
                body=cells["body"],
                video_url=cells["video_url"],
                themes=themes,
                makers=makers,
                commune=commune,
                address=cells["address"][:255],
                latitude=latitude,
                longitude=longitude,
                tags=_unique_folded(split_list(cells["tags"])),
                stage=stage or "",
                year=year,
                hero=hero,
                hero_alt=cells["hero_alt"][:255],
                hero_credit=cells["hero_credit"][:255],
                gallery=gallery,
            ),
            [],
        )

    def _theme_slugs(self) -> list[str]:
        return sorted({theme.slug for theme in self.lookups.themes.values()})

    @staticmethod
    def _number(cells: dict[str, str], column: str, problem) -> float | None:
        if not cells[column]:
            return None
        try:
            return float(cells[column].replace(",", "."))
        except ValueError:
            problem(column, _("“%(value)s” is not a number.") % {"value": cells[column]})
            return None

    def _image(self, name: str, column: str, problem) -> ImageChoice | None:
        if name in self.archive:
            found = self.archive.image(name)
            if isinstance(found, str):
                problem(column, found)
                return None
            existing = self.known_hashes.get(found.sha1)
            if existing is None:
                existing = (
                    get_image_model()
                    .objects.filter(file_hash=found.sha1)
                    .order_by("pk")
                    .values_list("pk", flat=True)
                    .first()
                ) or _existing_image_by_name(name, found.sha1)
            if existing is not None:
                return ImageChoice(name, image_id=existing)
            return ImageChoice(name, new=found)
        existing = _existing_image_by_name(name)
        if existing is None:
            problem(
                column,
                _("The image %(name)s is not in the ZIP of images.") % {"name": name},
            )
            return None
        return ImageChoice(name, image_id=existing)

    def _check_publishable(self, cells, themes, makers, commune, year, hero, problem) -> None:
        """What the admin's form requires to publish, asked of a row to be published."""
        if not themes:
            problem("themes", _("Choose at least one theme."))
        if not makers:
            problem("makers", _("Name at least one maker: who carries the POC."))
        if commune is None and not cells["commune"]:
            problem("commune", _("Choose the commune where the POC takes place."))
        if year is None and not cells["year"]:
            problem("year", _("Enter the year of the POC, for example 2020."))
        if hero is None and not cells["hero_image"]:
            problem(
                "hero_image",
                _("Choose a hero image: it appears on cards and at the top of the page."),
            )


def _unique_folded(names: list[str]) -> list[str]:
    seen: set[str] = set()
    unique = []
    for name in names:
        if folded(name) not in seen:
            seen.add(folded(name))
            unique.append(name[:100])
    return unique


def _plain_body(text: str) -> str:
    """The body text as it reads back from the page: what an unchanged row compares with."""
    return "\n\n".join(
        rich_text_as_plain(value.source)
        for block_type, value in body_from_text(text, "")
        if block_type == "paragraph"
    )


def _state_of_page(page: POCPage) -> dict[str, Any]:
    body, video = body_as_text(page)
    return {
        "title": page.title,
        "summary": page.summary,
        "body": body,
        "video_url": video,
        "themes": [theme.pk for theme in page.themes.all()],
        "makers": [(link.maker_id, link.role) for link in page.poc_makers.all()],
        "commune": page.commune_id,
        "address": page.address,
        "position": (page.latitude, page.longitude),
        "tags": sorted(folded(tag.name) for tag in page.tags.all()),
        "stage": page.stage,
        "year": page.year,
        "hero": (page.hero_image_id, page.hero_alt_text, page.hero_credit),
        "gallery": [
            (item.image_id, item.alt_text, item.credit) for item in page.gallery_images.all()
        ],
    }


def _state_of_plan(planned: PlannedPOC) -> dict[str, Any]:
    return {
        "title": planned.title,
        "summary": planned.summary,
        "body": _plain_body(planned.body),
        "video_url": planned.video_url,
        "themes": [theme.pk for theme in planned.themes],
        "makers": [(maker.pk if maker else None, role) for _name, maker, role in planned.makers],
        "commune": planned.commune.pk if planned.commune else None,
        "address": planned.address,
        "position": (planned.latitude, planned.longitude),
        "tags": sorted(folded(tag) for tag in planned.tags),
        "stage": planned.stage,
        "year": planned.year,
        "hero": (
            planned.hero.image_id if planned.hero else None,
            planned.hero_alt if planned.hero else "",
            planned.hero_credit if planned.hero else "",
        ),
        "gallery": [(item.image.image_id, item.alt_text, item.credit) for item in planned.gallery],
    }


def _same(page: POCPage, planned: PlannedPOC) -> bool:
    page_state, plan_state = _state_of_page(page), _state_of_plan(planned)
    # Themes have no order staff set: compare them as sets.
    page_state["themes"] = sorted(page_state["themes"])
    plan_state["themes"] = sorted(plan_state["themes"])
    return page_state == plan_state


_EXPORTED_REFERENCE = re.compile(r"^page-(\d+)$")


def _exported_without_reference(references: set[str]) -> dict[str, POCPage]:
    """POCs staff never gave a reference, by the one their export wrote (`page-<id>`): a file
    exported, corrected and imported back updates them instead of adding copies."""
    ids = {
        int(match[1]): reference
        for reference in references
        if (match := _EXPORTED_REFERENCE.match(reference))
    }
    pages = POCPage.objects.filter(
        pk__in=ids, import_reference=None, locale__language_code=source_language()
    )
    return {ids[page.pk]: page for page in pages}


def plan_import(
    content: bytes,
    *,
    name: str = "",
    images: ImageArchive | None = None,
    publish: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Check every row and say what importing it would do. Writes nothing."""
    rows = read_rows(content, name)
    archive = images or ImageArchive(None)
    checker = RowChecker(Lookups(), archive, publish)
    references = [row.cells["reference"] for row in rows if row.cells["reference"]]
    pages = {
        page.import_reference: page
        for page in POCPage.objects.filter(import_reference__in=references)
    }
    pages.update(_exported_without_reference(set(references) - set(pages)))
    first_row_of: dict[str, int] = {}
    results = []
    for position, row in enumerate(rows, start=1):
        reference = row.cells["reference"]
        planned, problems = checker.check(row)
        if reference and reference in first_row_of:
            problems.append(
                Problem(
                    row.number,
                    "reference",
                    _("The reference %(reference)s is already used on row %(row)d.")
                    % {"reference": reference, "row": first_row_of[reference]},
                )
            )
        first_row_of.setdefault(reference, row.number)
        result = RowResult(row.number, reference, row.cells["title"], Action.REFUSED, problems)
        page = pages.get(reference)
        if page is not None:
            result.page_id = page.pk
        if not problems:
            result.planned = planned
            if page is None:
                result.action = Action.CREATE
            else:
                latest = page.get_latest_revision_as_object()
                unchanged = _same(latest, planned) and (
                    not publish or (page.live and not page.has_unpublished_changes)
                )
                result.action = Action.UNCHANGED if unchanged else Action.UPDATE
        results.append(result)
        if progress:
            progress(position, len(rows))
    return ImportReport(results, publish=publish)


def apply_import(
    report: ImportReport, *, user: Any = None, progress: Progress | None = None
) -> ImportReport:
    """Carry out a plan: each row to create or update in its own transaction."""
    catalogue = CatalogueIndexPage.in_source_language()
    todo = [row for row in report.rows if row.action in (Action.CREATE, Action.UPDATE)]
    images: dict[str, int] = {}  # hash → image, for the ZIP's images used by several rows
    # Each publication goes through `revision.publish()`; what follows it (the search's
    # stored text, the index update) is done once for the whole import when it ends, and
    # Wagtail's bookkeeping of every save once per batch of rows.
    with (
        publishing_in_batch(),
        one_bump_for_the_block(),
        bookkeeping_in_batches() as bookkeeping,
    ):
        for done, row in enumerate(todo, start=1):
            _apply_row(catalogue, row, report.publish, user, images)
            if done % BATCH_SIZE == 0:
                bookkeeping.queue()
            if progress:
                progress(done, len(todo))
    report.applied = True
    for row in report.rows:
        row.applied = True
    return report


def _apply_row(
    catalogue: CatalogueIndexPage, row: RowResult, publish: bool, user: Any, images: dict
) -> None:
    stored_files: list[str] = []
    known_images = dict(images)  # the images this row adds go if it fails
    try:
        with transaction.atomic():
            page = _write(catalogue, row, publish, user, images, stored_files)
        row.page_id = page.pk
    except Exception as error:
        delete_image_files(stored_files, "a failed import row")
        images.clear()
        images.update(known_images)
        logger.exception("Row %s of the import failed", row.number)
        row.action = Action.REFUSED
        row.problems.append(
            Problem(
                row.number,
                "",
                _("This row could not be saved (%(error)s); nothing of it was kept.")
                % {"error": error},
            )
        )
        return


def _image(choice: ImageChoice, title: str, images: dict[str, int], stored: list[str]) -> int:
    if choice.image_id is not None:
        return choice.image_id
    new = choice.new
    assert new is not None  # noqa: S101 - an image is either known or new
    if new.sha1 in images:
        return images[new.sha1]
    existing = (
        get_image_model().objects.filter(file_hash=new.sha1).values_list("pk", flat=True).first()
    )
    if existing is not None:
        images[new.sha1] = existing
        return existing
    image = get_image_model()(title=title[:255], file=ContentFile(new.content, name=new.name))
    image._set_image_file_metadata()  # size and hash, as Wagtail's own upload form does
    image.save()
    stored.append(image.file.name)
    images[new.sha1] = image.pk
    return image.pk


def _maker(name: str, known: Maker | None) -> Maker:
    """The maker named so, else a new one kept hidden until staff write its profile."""
    if known is not None:
        return known
    existing = Maker.objects.filter(name__iexact=name).order_by("pk").first()
    if existing is not None:
        return existing
    taken = set(
        Maker.objects.filter(slug__startswith=slug_base(name, 180, "maker")).values_list(
            "slug", flat=True
        )
    )
    return Maker.objects.create(
        name=name,
        slug=free_slug(slug_base(name, 180, "maker"), taken),
        kind=MakerKind.STUDIO,
        is_public=False,
    )


def _write(
    catalogue: CatalogueIndexPage,
    row: RowResult,
    publish: bool,
    user: Any,
    images: dict[str, int],
    stored: list[str],
) -> POCPage:
    planned = row.planned
    assert planned is not None  # noqa: S101 - only checked rows are written
    if row.action == Action.CREATE:
        page = POCPage(
            title=planned.title,
            slug=find_available_slug(catalogue, slug_base(planned.title, 60, "poc")),
            import_reference=planned.reference,
            live=False,
        )
    else:
        page = POCPage.objects.get(pk=row.page_id).get_latest_revision_as_object()
    page.title = planned.title
    page.draft_title = planned.title
    page.summary = planned.summary
    page.body = body_from_text(planned.body, planned.video_url)
    page.commune = planned.commune
    page.address = planned.address
    page.latitude, page.longitude = planned.latitude, planned.longitude
    page.stage = planned.stage
    page.year = planned.year
    page.hero_image_id = (
        _image(planned.hero, planned.title, images, stored) if planned.hero else None
    )
    page.hero_alt_text = planned.hero_alt if planned.hero else ""
    page.hero_credit = planned.hero_credit if planned.hero else ""
    page.themes = planned.themes
    page.poc_makers = [
        POCMaker(maker=_maker(name, known), role=role) for name, known, role in planned.makers
    ]
    page.tags.set(planned.tags)
    page.gallery_images = [
        POCGalleryImage(
            image_id=_image(item.image, planned.title, images, stored),
            alt_text=item.alt_text,
            credit=item.credit,
        )
        for item in planned.gallery
    ]
    if row.action == Action.CREATE:
        catalogue.add_child(instance=page)
    elif page.import_reference != planned.reference:
        # A revision saves its content, not the page's row, which the matching reads.
        page.import_reference = planned.reference
        POCPage.objects.filter(pk=page.pk).update(import_reference=planned.reference)
    # A created page was just checked in full by its first save (`add_child`): its revision
    # holds the same content.
    revision = page.save_revision(user=user, log_action=True, clean=row.action != Action.CREATE)
    if publish:
        revision.publish(user=user)
    return page


def import_catalogue(
    content: bytes,
    *,
    name: str = "",
    images: ImageArchive | None = None,
    dry_run: bool = False,
    publish: bool = False,
    user: Any = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Plan, then (unless `dry_run`) apply: one engine behind the command and the admin."""
    report = plan_import(content, name=name, images=images, publish=publish, progress=progress)
    if dry_run:
        return report
    return apply_import(report, user=user, progress=progress)
