"""The API's OpenAPI description: written from the declarations that validate the requests,
and checked against the live API by schemathesis (requests generated from the document, every
answer validated against it)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from search import indexing
from search.map_grid import MAP_VIEW_PARAMETERS
from search.parameters import EXPORT_PARAMETERS, SEARCH_PARAMETERS, clean_text
from tests.factories import commune, english, make_maker, make_poc, theme

SCHEMA_URL = "/api/schema/"
# Per operation, mode and backend: enough to meet each parameter's edges, few enough for
# `make test`.
EXAMPLES = 12


def parameters_of(document: dict, path: str) -> dict[str, dict]:
    return {
        parameter["name"]: parameter for parameter in document["paths"][path]["get"]["parameters"]
    }


@pytest.mark.django_db
def test_the_description_is_written_from_the_parameters_declarations(client, without_elasticsearch):
    response = client.get(SCHEMA_URL, {"lang": "en"})
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    assert document["info"]["license"]["name"] == "Licence Ouverte / Open Licence 2.0"
    search = parameters_of(document, "/api/catalogue/search/")
    assert list(search) == [parameter.name for parameter in SEARCH_PARAMETERS] + ["lang"]
    assert search["page"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 400,
        "default": 1,
    }
    assert search["theme"]["schema"]["maxItems"] == 50
    assert search["sort"]["schema"]["enum"] == [
        "relevance",
        "newest",
        "title",
        "distance",
        "supported",
    ]
    assert search["lang"]["schema"]["enum"] == ["fr", "en"]
    exports = parameters_of(document, "/api/catalogue/export.csv")
    assert list(exports) == [parameter.name for parameter in EXPORT_PARAMETERS] + ["lang"]
    assert exports["poc"]["schema"]["items"]["type"] == "integer"
    clusters = parameters_of(document, "/api/catalogue/map-clusters/")
    for parameter in MAP_VIEW_PARAMETERS:
        assert clusters[parameter.name]["required"] is True
    assert set(parameters_of(document, "/api/catalogue/autocomplete/")) == {"q", "lang"}
    assert search["q"]["description"].startswith("Words to search for")
    french = client.get(SCHEMA_URL, {"lang": "fr"}).json()
    assert parameters_of(french, "/api/catalogue/search/")["q"]["description"].startswith("Mots")


@pytest.mark.django_db
def test_a_bound_in_the_description_is_the_one_enforced(client, without_elasticsearch):
    """What the document says is refused is refused, at the edge it names."""
    document = client.get(SCHEMA_URL).json()
    search = parameters_of(document, "/api/catalogue/search/")
    longest = search["q"]["schema"]["maxLength"]
    last_page = search["page"]["schema"]["maximum"]
    api = "/api/catalogue/search/"
    assert client.get(api, {"q": "x" * longest}).status_code == 200
    assert client.get(api, {"q": "x" * (longest + 1)}).status_code == 400
    assert client.get(api, {"page": last_page}).status_code == 200
    assert client.get(api, {"page": last_page + 1}).status_code == 400
    assert client.get(api, {"lang": "de"}).json()["field"] == "lang"


@pytest.fixture(params=["database", "elasticsearch"])
def live_catalogue(request, live_server):
    """A few POCs, in French and English, behind a live server on either backend."""
    request.getfixturevalue(
        "with_elasticsearch" if request.param == "elasticsearch" else "without_elasticsearch"
    )
    bikes = make_poc(
        "Vélos cargo partagés",
        themes=[theme("mobilite")],
        makers=[make_maker("Atelier Nord")],
        tags=["vélo"],
        commune=commune("Roubaix"),
        latitude=50.69,
        longitude=3.18,
    )
    make_poc("Jardin partagé", themes=[theme("habiter")], commune=commune("Lille"), year=2019)
    english(bikes, title="Shared cargo bikes", slug="shared-cargo-bikes")
    if request.param == "elasticsearch":
        indexing.rebuild_index()
    return live_server


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_live_api_answers_as_described(live_catalogue):
    """Requests generated from the document, valid ones and invalid ones, to every operation:
    no server error, every answer (status, content type, headers, body) as described, and
    valid requests accepted.

    Invalid ones are not all refused, on purpose: values are read as forms send them,
    trimmed of spaces and control characters, and empty ones ignored (`year=%202020%20` is
    2020), so schemathesis's `negative_data_rejection` does not apply."""
    api = schemathesis.openapi.from_url(f"{live_catalogue.url}{SCHEMA_URL}")
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) == 5
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            call_and_validate(operation, mode)


# What JSON Schema cannot say: an area's corners in order and inside the world (`bbox`, the
# map's `visible`), a point inside the world (`near`), and `sort=distance` only with `near`.
# Their descriptions say it; a request valid by the document is refused only for them.
CONSTRAINED_BETWEEN_VALUES = {"bbox", "visible", "near"}


@schemathesis.check
def valid_requests_are_accepted(ctx, response, case) -> None:
    if response.status_code != 400:
        positive_data_acceptance(ctx, response, case)
        return
    field = response.json().get("field")
    # A value left empty once cleaned is no value (forms send them): `near=` gives no point.
    near = str((case.query or {}).get("near", ""))
    distance_without_point = field == "sort" and not clean_text(near)
    if field in CONSTRAINED_BETWEEN_VALUES or distance_without_point:
        return
    positive_data_acceptance(ctx, response, case)


def call_and_validate(operation, mode: GenerationMode) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answers_as_described(case):
        case.call_and_validate(
            excluded_checks=[negative_data_rejection, positive_data_acceptance],
            additional_checks=[valid_requests_are_accepted],
        )

    answers_as_described()
