from flask import Blueprint

bp = Blueprint("auth", __name__, template_folder="templates")


@bp.record_once
def _make_dummy_hash(state) -> None:
    """Make the dummy password hash when the app is built (once per process), so that not
    even the first sign-in with an unknown email takes longer than the others."""
    from .passwords import dummy_hash

    dummy_hash(state.app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


from . import admin, link_views, views  # noqa: E402,F401  (registers the routes on bp, which must exist first)
