import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from wagtail.users.models import UserProfile

# Modules asserting model and form messages on their English msgids, whatever the .po says.
ENGLISH_MODULES = {"tests.poc_catalogue.test_models"}


@pytest.fixture(autouse=True)
def english_messages(request: pytest.FixtureRequest):
    """Page URLs and fetched pages keep the site's default language (French)."""
    if request.module.__name__ not in ENGLISH_MODULES:
        yield
        return
    with translation.override("en"):
        yield


@pytest.fixture
def staff_client(client):
    """A superuser's client; the admin speaks English, to assert on the msgids."""
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"  # assert on the English msgids, whatever the .po says
    profile.save()
    client.force_login(user)
    return client
