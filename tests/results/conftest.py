"""Fixtures of the results modules."""
from __future__ import annotations

import pytest

from app.results import cache


@pytest.fixture
def q(app):
    return app.extensions["catalog"].latest("prevention-readiness")


@pytest.fixture
def empty_cache():
    """The kept score sections and documents (app/results/cache.py) emptied before and after
    a test, which then sees only what it made (``pytestmark = usefixtures("empty_cache")``)."""
    cache._kept.clear()
    cache.documents.clear()
    yield
    cache._kept.clear()
    cache.documents.clear()
