import pytest
from django.utils import translation

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
