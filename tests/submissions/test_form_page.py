"""What a maker meets on the form: labels that tell the truth, a summary that is never cut,
the year asked, errors listed first in the language's typography, images kept after an error."""

from __future__ import annotations

import io
import re
import time
from html import unescape

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client
from PIL import Image

from poc_catalogue.limits import FIRST_YEAR, LAST_PROPOSED_YEAR, MAX_SUMMARY_LENGTH
from poc_catalogue.models import CatalogueIndexPage, POCPage
from poc_catalogue.submissions.kept_images import SALT
from poc_catalogue.submissions.models import Submission
from tests.factories import english, make_poc

from .conftest import form_data, image_bytes, image_fields, inventory, upload

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def text_of(response) -> str:
    """The page as a person reads it: tags dropped, entities decoded, spaces kept as they are."""
    return unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def error_summary(response) -> str:
    html = response.content.decode()
    match = re.search(r'<div class="error-summary".*?</div>', html, re.DOTALL)
    assert match, html[:3000]
    return unescape(re.sub(r"<[^>]+>", " ", match.group(0)))


def kept_tokens(response) -> dict[str, str]:
    return dict(re.findall(r'name="(images-\d-kept)" value="([^"]+)"', response.content.decode()))


def test_a_long_summary_is_kept_whole_and_the_server_says_how_much_is_too_long(client):
    summary = "Un banc partagé. " * 18 + "x" * 6  # 312 characters once trimmed
    assert len(summary.strip()) == 312
    response = client.post("/submit/", form_data(summary=summary))
    assert response.status_code == 400
    assert f"Le résumé fait 312 caractères{NBSP}: 32 de trop." in error_summary(response)
    html = response.content.decode()
    textarea = re.search(r"<textarea[^>]*name=\"summary\"[^>]*>", html).group(0)
    assert "maxlength" not in textarea
    assert f'data-counter-limit="{MAX_SUMMARY_LENGTH}"' in textarea
    assert summary.strip() in unescape(html)
    assert "312 / 280" in text_of(response)


def test_a_summary_at_the_limit_passes_whatever_its_line_breaks(
    client, django_capture_on_commit_callbacks
):
    summary = "a" * 139 + "\r\n" + "b" * 140  # 280 characters as the browser counts them
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/submit/", form_data(summary=summary))
    assert response.status_code == 302
    assert POCPage.objects.get().summary == "a" * 139 + "\n" + "b" * 140


def test_the_form_asks_the_year_and_the_draft_gets_it(client, django_capture_on_commit_callbacks):
    page = client.get("/submit/").content.decode()
    select = re.search(r'<select name="year".*?</select>', page, re.DOTALL).group(0)
    years = [int(year) for year in re.findall(r'<option value="(\d+)"', select)]
    assert (
        sorted(years) == list(range(FIRST_YEAR, LAST_PROPOSED_YEAR + 1)) == list(range(2015, 2031))
    )
    assert re.search(r'<option value="" selected>', select)

    missing = client.post("/submit/", form_data(year=None))
    assert f"Année du projet{NBSP}: Champ requis." in error_summary(missing)
    too_early = client.post("/submit/", form_data(year=str(FIRST_YEAR - 1)))
    assert too_early.status_code == 400
    too_late = client.post("/submit/", form_data(year=str(LAST_PROPOSED_YEAR + 1)))
    assert too_late.status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/submit/", form_data(year="2017"))
    assert POCPage.objects.get().year == 2017


def test_a_proposal_becomes_a_french_draft_when_the_site_has_an_english_catalogue(
    client, django_capture_on_commit_callbacks
):
    english(make_poc("Vélos cargo partagés"), title="Shared cargo bikes", slug="cargo-bikes")
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/submit/", form_data(year="2019"))
    assert sent.status_code == 302
    draft = POCPage.objects.get(live=False)
    assert draft.get_parent().specific == CatalogueIndexPage.in_source_language()
    assert draft.locale.language_code == "fr"


def test_the_maker_labels_tell_which_fields_are_required(client):
    page = text_of(client.get("/submit/"))
    labels = dict(
        re.findall(
            r"(Nom|Type|Site web|Un porteur déjà présent dans le catalogue)\s+\(([^)]*)\)", page
        )
    )
    assert labels["Nom"] == labels["Type"] == "obligatoire pour un nouveau porteur"
    assert labels["Site web"] == "facultatif"
    assert (
        labels.get("Un porteur déjà présent dans le catalogue")
        == "ou un nouveau porteur ci-dessous"
    )
    assert "son nom et son type sont alors obligatoires" in page

    no_kind = client.post("/submit/", form_data(new_maker_kind=""))
    assert no_kind.status_code == 400
    assert "Type (facultatif)" not in text_of(no_kind)


def test_errors_come_first_in_french_typography(client):
    response = client.post("/submit/", form_data(title=""))
    html = response.content.decode()
    assert f"<title>Erreur{NBSP}: Proposer un POC" in html
    assert f"Titre du projet{NBSP}: Champ requis." in error_summary(response)
    assert f"Votre proposition n’a pas été envoyée{NBSP}: un champ" in error_summary(response)
    assert html.index('class="error-summary"') < html.index('class="lead"')
    english = client.post("/en/submit/", form_data(title=""))
    assert "Project title: This field is required." in error_summary(english)


def two_images() -> dict:
    return image_fields(
        2,
        upload(image_bytes("PNG", size=(400, 300)), name="plan.png", content_type="image/png"),
        "Plan de la place",
        "Ville de Roubaix",
    )


def test_images_accepted_before_an_error_are_kept_privately_until_the_proposal_is_sent(
    client, django_capture_on_commit_callbacks
):
    before = inventory()
    refused = client.post("/submit/", form_data(title="", **two_images()))
    assert refused.status_code == 400
    tokens = kept_tokens(refused)
    assert set(tokens) == {"images-0-kept", "images-1-kept"}
    summary = error_summary(refused)
    assert "Vos 2 images sont conservées un jour" in summary
    assert summary.index("conservées") < summary.index("Titre du projet")
    assert "photo.jpg" in text_of(refused) and "plan.png" in text_of(refused)
    assert inventory() == before  # nothing under MEDIA_ROOT, nothing in the image library
    kept_dir = settings.SUBMISSION_KEPT_IMAGES_DIR
    assert len(list(kept_dir.iterdir())) == 4  # each image and its thumbnail
    assert not str(kept_dir).startswith(str(settings.MEDIA_ROOT))

    resent = form_data(**{"images-0-file": None}, **image_fields(2, None, "Plan", "Ville"))
    resent = {key: value for key, value in resent.items() if value is not None}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/submit/", {**resent, **tokens})
    assert response.status_code == 302, error_summary(response)
    page = Submission.objects.get().page
    assert page.hero_image.width == 320 and page.gallery_images.get().image.width == 400
    assert list(kept_dir.iterdir()) == []


def test_a_kept_image_can_be_removed(client, django_capture_on_commit_callbacks):
    tokens = kept_tokens(client.post("/submit/", form_data(title="", **two_images())))
    data = form_data(**{"images-0-file": None})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/submit/", {**data, **tokens, "images-1-remove_kept": "on"})
    assert response.status_code == 302
    page = Submission.objects.get().page
    assert page.hero_image is not None and not page.gallery_images.exists()


def expired(token: str) -> str:
    """The same token, signed two days ago."""

    class TwoDaysAgo(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - 2 * 24 * 3600)

    return TwoDaysAgo(salt=SALT).sign_object(signing.loads(token, salt=SALT))


def unchanged(token: str) -> str:
    return token


def forged(token: str) -> str:
    return token[:-3] + ("abc" if not token.endswith("abc") else "xyz")


@pytest.mark.parametrize(
    ("spoil", "same_session"),
    [(forged, True), (expired, True), (unchanged, False)],
    ids=["forged", "expired", "another-session"],
)
def test_a_token_that_is_not_this_sessions_gives_nothing_back(client, spoil, same_session):
    token = kept_tokens(client.post("/submit/", form_data(title="")))["images-0-kept"]
    taker = client if same_session else Client()
    response = taker.post(
        "/submit/", {**form_data(**{"images-0-file": None}), "images-0-kept": spoil(token)}
    )
    assert response.status_code == 400
    assert "L’image choisie précédemment n’est plus conservée" in error_summary(response)
    assert Submission.objects.count() == 0


def test_a_kept_image_shows_as_a_thumbnail_to_its_session_only(client):
    refused = client.post("/submit/", form_data(title=""))
    (src,) = re.findall(r'class="kept-image__thumbnail" src="([^"]+)"', refused.content.decode())
    src = unescape(src)
    thumbnail = client.get(src)
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/jpeg"
    assert (
        "no-cache" in thumbnail["Cache-Control"] and thumbnail["Referrer-Policy"] == "no-referrer"
    )
    with Image.open(io.BytesIO(thumbnail.content)) as small:
        assert max(small.size) <= 240
    assert Client().get(src).status_code == 404
    assert client.get(src[:-4] + "abc/").status_code == 404
