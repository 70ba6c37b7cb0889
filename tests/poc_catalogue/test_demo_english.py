"""The demo catalogue's English: aligned with the French words, deterministic, and leaving the
French plan as it was. Plain tests: the themes and communes come from the seed migration."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import importlib
import json
import re
from string import Formatter

import pytest

from poc_catalogue.demo import CommuneRef, ThemeRef, plan_catalogue, words, words_en
from poc_catalogue.demo.plans import GALLERY_CAPTIONS
from poc_catalogue.limits import MAX_SUMMARY_LENGTH
from poc_catalogue.models import CatalogueIndexPage, HomePage, MakerKind

SEED = 2020
seed_migration = importlib.import_module("poc_catalogue.migrations.0002_seed_themes_communes_pages")
# The French plan of the first 50 POCs and every maker, as planned before English was added.
# Change it only when the French content is changed on purpose.
FRENCH_PLAN_SHA256 = "ddad07d840b8c102d077043a146c121c6299e11efb3c5f20dcbd8575669182a7"
# French words the templates use, outside commune and maker names.
FRENCH_WORDS = re.compile(
    r"(?i)\b(?:le|la|les|du|des|de|au|aux|et|avec|pour|sur)\b|(?:^|\s)à\s|\b[ld]'"
)


def _refs() -> tuple[list[ThemeRef], list[CommuneRef]]:
    themes = [
        ThemeRef(slug, name, colour, name_en)
        for slug, name, name_en, colour, *_ in seed_migration.THEMES
    ]
    with seed_migration.COMMUNES_CSV.open(encoding="utf-8") as handle:
        communes = [
            CommuneRef(
                row["insee"],
                row["name"],
                float(row["lat"]),
                float(row["lon"]),
                int(row["population"]),
            )
            for row in csv.DictReader(handle)
        ]
    return themes, communes


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def _french_fields(plan) -> dict:
    fields = dataclasses.asdict(plan)
    fields.pop("english", None)
    fields.pop("bio_en", None)
    fields.pop("translation_of", None)  # set on translations' plans only (`in_english()`)
    return fields


@pytest.fixture(scope="module")
def catalogue():
    return plan_catalogue(600, SEED, *_refs())


def test_english_words_are_aligned_with_the_french_ones():
    assert words_en.SUBJECTS_BY_THEME.keys() == words.SUBJECTS_BY_THEME.keys()
    for theme, subjects in words.SUBJECTS_BY_THEME.items():
        assert len(words_en.SUBJECTS_BY_THEME[theme]) == len(subjects), theme
    for french, english in [
        (words.PUBLICS, words_en.PUBLICS),
        (words.OUTCOMES, words_en.OUTCOMES),
        (words.SUMMARY_VERBS, words_en.SUMMARY_VERBS),
        (words.QUOTES, words_en.QUOTES),
        (words.BIO_FIELDS, words_en.BIO_FIELDS),
        (words.BIO_CLOSINGS, words_en.BIO_CLOSINGS),
        (words.TITLE_OPENINGS, words_en.TITLE_TEMPLATES),
        (GALLERY_CAPTIONS, words_en.GALLERY_CAPTIONS),
    ]:
        assert len(english) == len(french)
        assert len(set(english)) == len(english), "two French words translated alike"
    assert words_en.STEP_HEADINGS.keys() == words.STEP_HEADINGS.keys()
    assert words_en.STEP_SENTENCES.keys() == words.STEP_SENTENCES.keys()
    for step, sentences in words.STEP_SENTENCES.items():
        english = words_en.STEP_SENTENCES[step]
        assert [_placeholders(s) for s in english] == [_placeholders(s) for s in sentences], step
    assert [_placeholders(s) for s in words_en.BIO_CLOSINGS] == [
        _placeholders(s) for s in words.BIO_CLOSINGS
    ]
    assert words_en.BIO_OPENINGS.keys() == words.BIO_OPENINGS.keys() == set(MakerKind)
    assert all(_placeholders(s) <= {"commune", "field"} for s in words_en.BIO_OPENINGS.values())
    assert all(_placeholders(s) == {"subject"} for s in words_en.TITLE_TEMPLATES)


def test_the_french_plan_is_the_one_planned_before_english(catalogue):
    first = plan_catalogue(50, SEED, *_refs())
    french = {
        "makers": [_french_fields(m) for m in first.makers],
        "pocs": [_french_fields(p) for p in first.pocs],
        "featured": first.featured_slugs,
    }
    text = json.dumps(french, sort_keys=True, default=str, ensure_ascii=False)
    assert hashlib.sha256(text.encode()).hexdigest() == FRENCH_PLAN_SHA256


def test_the_english_depends_on_the_seed_alone(catalogue):
    themes, communes = _refs()
    again = plan_catalogue(600, SEED, list(reversed(themes)), list(reversed(communes)))
    assert [p.english for p in again.pocs] == [p.english for p in catalogue.pocs]
    assert [m.bio_en for m in again.makers] == [m.bio_en for m in catalogue.makers]
    smaller = plan_catalogue(12, SEED, themes, communes)
    assert [p.english for p in smaller.pocs] == [p.english for p in catalogue.pocs[:12]]


def test_half_the_pocs_have_an_english_text_with_a_unique_slug(catalogue):
    translated = [p for p in catalogue.pocs if p.english]
    assert [p.number for p in translated] == list(range(0, 600, 2))
    slugs = [p.english.slug for p in translated]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9-]{1,240}", slug) for slug in slugs)


def test_the_english_text_translates_the_french_page(catalogue):
    communes = {c.insee_code: c.name for c in _refs()[1]}
    for poc in catalogue.pocs:
        if poc.english is None:
            continue
        english = poc.english
        commune = communes[poc.commune_insee]
        assert english.title.endswith(f" in {commune}")
        assert not FRENCH_WORDS.search(english.title.removesuffix(f" in {commune}")), english.title
        assert 0 < len(english.summary) <= MAX_SUMMARY_LENGTH
        # Block for block: a translation maps each French block to its English one by id.
        assert [(b["type"], b["id"]) for b in english.body] == [
            (b["type"], b["id"]) for b in poc.body
        ]
        for block in english.body:
            text = block["value"]["text"] if block["type"] == "quote" else block["value"]
            assert not FRENCH_WORDS.search(text), text
        assert len(english.gallery) == len(poc.gallery)
        assert english.hero_alt_text.startswith(f"Visual for the project “{english.title}”")
        assert english.hero_credit.endswith(f", {english.title}, {commune}, {poc.year}")


def test_every_maker_has_an_english_bio(catalogue):
    for maker in catalogue.makers:
        assert maker.bio_en and maker.bio_en != maker.bio
        assert not FRENCH_WORDS.search(maker.bio_en.split(" in ")[0]), maker.bio_en


def test_the_seeded_pages_and_themes_have_their_english():
    for page_model, english in [
        (HomePage, words_en.HOME_PAGE),
        (CatalogueIndexPage, words_en.CATALOGUE_PAGE),
    ]:
        for field, text in english.items():
            page_model._meta.get_field(field)
            assert text and not FRENCH_WORDS.search(text)
    for _slug, _name, name_en, _colour, _description, description_en in seed_migration.THEMES:
        assert name_en and description_en
