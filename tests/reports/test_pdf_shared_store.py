"""A PDF cache every machine shares (issue 14, point 4): with ``PDF_SHARED_STORE`` set, a PDF
rendered by a job on one machine is a cache hit on another machine whose disk never saw it.
The store on both databases; a download end to end through the render job."""
from __future__ import annotations

import pytest

from tests.factories import api

KEY_A, KEY_B, KEY_C = ("a" * 64), ("b" * 64), ("c" * 64)


def test_a_pdf_stored_on_one_machine_is_read_on_another(app, db_url, tmp_path):
    from app.reports.store import SharedPdfCache

    machine_a = SharedPdfCache(tmp_path / "a", 2, db_url)
    machine_b = SharedPdfCache(tmp_path / "b", 2, db_url)
    assert machine_b.get(KEY_A) is None
    machine_a.put(KEY_A, b"%PDF-one")
    hit = machine_b.get(KEY_A)
    assert hit is not None and hit.read_bytes() == b"%PDF-one"
    assert hit.parent == tmp_path / "b"          # kept on B's own disk from now on
    machine_b.put(KEY_A, b"%PDF-one")            # the same PDF stored twice: no error
    # The shared table keeps at most max_files, the oldest going first.
    machine_a.put(KEY_B, b"%PDF-two")
    machine_a.put(KEY_C, b"%PDF-three")
    fresh = SharedPdfCache(tmp_path / "c", 2, db_url)
    assert fresh.get(KEY_A) is None
    assert fresh.get(KEY_C).read_bytes() == b"%PDF-three"
    assert fresh.clear() >= 2 and SharedPdfCache(tmp_path / "d", 2, db_url).get(KEY_B) is None


@pytest.mark.slow  # renders a PDF
def test_a_download_rendered_on_one_machine_is_a_hit_on_another(world, monkeypatch, tmp_path):
    from app import reports

    app = world["app"]
    app.config["PDF_SHARED_STORE"] = "database"
    path = f"/api/v1/assessments/{world['submitted']}/report.pdf?kind=scorecard"
    first = api(world, "R", path)
    assert first.status_code == 200 and first.headers["X-Report-Cache"] == "miss"

    # Another web machine: the same database, its own empty disk, and no rendering allowed.
    app.config["PDF_CACHE_DIR"] = str(tmp_path / "other-machine")

    def no_rendering(*args, **kwargs):
        raise AssertionError("a PDF in the shared store was rendered again")

    monkeypatch.setattr(reports, "submit_render", no_rendering)
    again = api(world, "R", path)
    assert again.status_code == 200 and again.headers["X-Report-Cache"] == "hit"
    assert again.data == first.data
    assert list((tmp_path / "other-machine").glob("*.pdf"))


def test_without_the_setting_the_disk_cache_stands_alone(world):
    from app.reports.render import PdfCache

    with world["app"].app_context():
        from app.reports.web import cache

        assert type(cache()) is PdfCache


def test_the_setting_names_the_apps_own_database(world):
    app = world["app"]
    app.config["PDF_SHARED_STORE"] = "database"
    with app.app_context():
        from app.reports.web import cache

        assert cache().shared_url == app.config["SQLALCHEMY_DATABASE_URI"]
