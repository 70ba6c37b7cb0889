import pytest

from poc_catalogue.models import POCPage
from tests.factories import make_maker, make_poc, theme


@pytest.mark.django_db
def test_a_published_poc_is_served_at_its_catalogue_url(client):
    poc = make_poc(
        "Vélos partagés de Roubaix",
        themes=[theme("mobilite"), theme("habiter")],
        makers=[make_maker("Studio Nord")],
        tags=["vélo", "partage"],
    )
    assert poc.url == "/catalogue/velos-partages-de-roubaix/"
    assert POCPage.objects.live().count() == 1
    assert sorted(poc.tags.names()) == ["partage", "vélo"]
    assert client.get(poc.url).status_code == 200


@pytest.mark.django_db
def test_a_draft_poc_is_not_served(client):
    poc = make_poc("Brouillon", publish=False)
    assert client.get("/catalogue/brouillon/").status_code == 404
    assert not poc.live
