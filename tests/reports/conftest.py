"""Fixtures of the report modules.  ``world`` here replaces the review world of tests/conftest.py
for tests/reports (no module here uses that one): the small test questionnaire, the four
people of ``make_people``, a draft and a submitted assessment of R's, and everyone's token."""
from __future__ import annotations

import pytest

from tests.factories import issue_tokens, mini_world


@pytest.fixture
def world(tmp_path):
    world = mini_world(tmp_path)
    return world | {"tokens": issue_tokens(world["app"], world["people"])}
