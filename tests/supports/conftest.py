import pytest


@pytest.fixture(autouse=True)
def on_the_database(without_elasticsearch) -> None:
    """Pages read similar and nearby POCs from the database; no index to follow counts."""
