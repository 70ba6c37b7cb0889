"""What the models refuse, in the words staff will read."""

import pytest
from django.core.exceptions import ValidationError

from poc_catalogue.forms import POCPageForm
from poc_catalogue.geography import Point
from poc_catalogue.models import MakerKind, POCPage
from tests.factories import make_maker, make_poc, theme

pytestmark = pytest.mark.django_db


def test_a_position_outside_the_metropole_is_refused():
    poc = make_poc("Hors les murs")
    poc.latitude, poc.longitude = 48.857, 2.352  # Paris
    with pytest.raises(ValidationError) as raised:
        poc.full_clean()
    assert "outside the Lille Métropole" in str(raised.value.message_dict["latitude"])


def test_a_position_inside_the_metropole_is_accepted():
    poc = make_poc("Au centre")
    poc.latitude, poc.longitude = 50.6365, 3.0635  # Lille, Grand'Place
    poc.full_clean()


def test_latitude_without_longitude_is_refused():
    poc = make_poc("À moitié placé")
    poc.latitude, poc.longitude = 50.63, None
    with pytest.raises(ValidationError) as raised:
        poc.full_clean()
    assert "both latitude and longitude" in str(raised.value.message_dict["latitude"])


def test_a_summary_longer_than_280_characters_is_refused():
    poc = make_poc("Trop bavard")
    poc.summary = "é" * 281
    with pytest.raises(ValidationError) as raised:
        poc.full_clean()
    message = " ".join(raised.value.message_dict["summary"])
    assert "280 characters at most" in message
    assert "281" in message


def test_a_summary_of_exactly_280_characters_is_accepted():
    poc = make_poc("Juste assez")
    poc.summary = "a" * 280
    poc.full_clean()


def test_hero_alt_text_is_required():
    poc = make_poc("Sans description")
    poc.hero_alt_text = ""
    with pytest.raises(ValidationError) as raised:
        poc.full_clean()
    assert "hero_alt_text" in raised.value.message_dict


def _form_for(poc: POCPage, **changes) -> POCPageForm:
    form_class = POCPage.get_edit_handler().get_form_class()
    data = {
        "title": poc.title,
        "slug": poc.slug,
        "summary": poc.summary,
        "hero_image": poc.hero_image_id,
        "hero_alt_text": poc.hero_alt_text,
        "commune": poc.commune_id,
        "stage": poc.stage,
        "year": poc.year,
        "themes": [t.pk for t in poc.themes.all()],
        "tags": "",
        "poc_makers-TOTAL_FORMS": "1",
        "poc_makers-INITIAL_FORMS": "0",
        "poc_makers-MIN_NUM_FORMS": "1",
        "poc_makers-MAX_NUM_FORMS": "1000",
        "poc_makers-0-maker": make_maker().pk,
        "poc_makers-0-role": "holder",
        "poc_makers-0-ORDER": "0",
        "poc_makers-0-DELETE": "",
        "gallery_images-TOTAL_FORMS": "0",
        "gallery_images-INITIAL_FORMS": "0",
        "gallery_images-MIN_NUM_FORMS": "0",
        "gallery_images-MAX_NUM_FORMS": "1000",
        "body-count": "0",
    }
    data.update(changes)
    return form_class(data, instance=poc, for_user=None, parent_page=poc.get_parent())


def test_the_edit_form_accepts_a_complete_poc():
    form = _form_for(make_poc("Complet"))
    assert form.is_valid(), form.errors


def test_the_edit_form_requires_at_least_one_theme():
    form = _form_for(make_poc("Sans thème"), themes=[])
    assert not form.is_valid()
    assert form.errors["themes"] == ["Choose at least one theme."]


def test_the_edit_form_accepts_at_most_three_themes():
    slugs = ["mobilite", "habiter", "prendre-soin", "action-publique"]
    form = _form_for(make_poc("Quatre thèmes"), themes=[theme(s).pk for s in slugs])
    assert not form.is_valid()
    assert form.errors["themes"] == ["Choose at most 3 themes (you chose 4)."]


def test_the_edit_form_asks_for_a_maker():
    form = _form_for(
        make_poc("Sans porteur"),
        **{"poc_makers-TOTAL_FORMS": "0", "poc_makers-MIN_NUM_FORMS": "0"},
    )
    assert not form.is_valid()
    assert any("Add at least one maker" in error for error in form.non_field_errors())


def test_the_edit_form_explains_a_missing_hero_image_plainly():
    form = _form_for(make_poc("Sans image"), hero_image="", hero_alt_text="")
    assert not form.is_valid()
    assert form.errors["hero_image"] == [
        "Choose a hero image: it appears on cards and at the top of the page."
    ]
    assert form.errors["hero_alt_text"] == ["Describe the hero image for people who cannot see it."]


def test_the_edit_form_explains_an_overlong_summary_plainly():
    form = _form_for(make_poc("Résumé trop long"), summary="x" * 300)
    assert not form.is_valid()
    assert "280 characters at most (it has 300)" in form.errors["summary"][0]


def test_a_public_maker_needs_a_bio():
    maker = make_maker("Studio Muet", bio="")
    with pytest.raises(ValidationError) as raised:
        maker.full_clean()
    assert "public profile needs a short bio" in raised.value.message_dict["bio"][0]


def test_a_hidden_maker_may_have_no_bio_yet():
    maker = make_maker("Porteur discret", bio="", is_public=False, kind=MakerKind.ASSOCIATION)
    maker.full_clean()


def test_the_location_falls_back_on_the_commune_centre():
    poc = make_poc("Sans adresse")
    assert poc.location == Point(poc.commune.latitude, poc.commune.longitude)
