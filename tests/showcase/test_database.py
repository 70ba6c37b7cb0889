"""The suite runs on PostgreSQL, the production database, whenever the services are required."""

import pytest
from django.db import connection

from poc_catalogue.models import Maker
from tests.conftest import postgres_problem, services_required
from tests.factories import make_maker


@pytest.mark.django_db
def test_the_suite_runs_on_postgresql_when_services_are_required():
    if not services_required():
        pytest.skip("runs on whatever DATABASE_URL says when services are not required")
    assert connection.vendor == "postgresql", postgres_problem()


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_maker_survives_a_round_trip_with_its_accents():
    maker = make_maker("Atelier Éléphant & Fils", bio="Céramique « à l'ancienne », Roubaix.")

    found = Maker.objects.get(name__icontains="éléphant")

    assert found.pk == maker.pk
    assert found.bio == "Céramique « à l'ancienne », Roubaix."
