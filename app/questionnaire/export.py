"""The normalised questionnaire JSON of CONTRACTS.md."""
from __future__ import annotations

from typing import Any

from .definition import Questionnaire

# Keys that exist only on some item types; drop them where they are absent.
_TYPE_ONLY = ("levels", "options", "bands", "min", "max", "unit")


def normalised(q: Questionnaire) -> dict[str, Any]:
    data = q.model_dump(mode="json", exclude={"rubric", "rubric_file"}, exclude_none=True)
    for item in data["items"]:
        for key in _TYPE_ONLY:
            if key in item and item[key] is None:
                del item[key]
    data["rubric_version"] = q.rubric.rubric_version if q.rubric else None
    return data
