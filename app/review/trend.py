"""The trend page's period-by-period summary and its line charts (issue 18: the summary
compared only the first and last periods, and a country's path over all periods was only
in tables)."""
from __future__ import annotations

from typing import Any, Mapping

from flask_babel import get_locale, gettext as _

from ..charts import bands_from_rubric
from ..charts.trend import line_chart, lines_table
from . import changes, compare as cmp
from .presenters import trend_view


def steps_view(comparison: cmp.Comparison, area_labels: Mapping[str, str],
               layer_labels: Mapping[str, str]) -> list[dict[str, Any]]:
    """Each period against the one before: its periods and what improved and regressed,
    as the first-to-last summary shows them (``presenters.trend_view``)."""
    subjects = comparison.subjects
    return [{"before_period": subjects[t.first].period, "after_period": subjects[t.last].period,
             **trend_view(t, area_labels, layer_labels, {})} for t in changes.steps(comparison)]


def charts(comparison: cmp.Comparison, area_labels: Mapping[str, str]) -> dict[str, Any]:
    """One line chart for the overall score and one per area, over all periods, and the
    table of the same values."""
    periods = [s.period for s in comparison.subjects]
    bands = bands_from_rubric(comparison.subjects[0].questionnaire.rubric, str(get_locale() or "en"))
    rows = [(_("Overall readiness"), comparison.overall.scores)] + [
        (area_labels.get(r.code, r.code), r.scores) for r in comparison.areas]
    return {"svgs": [line_chart(label, periods, values, bands=bands, chart_id=f"trend-line-{k}")
                     for k, (label, values) in enumerate(rows)],
            "table": lines_table(periods, rows)}
