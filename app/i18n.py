"""Translation helpers: questionnaire texts are maps from language code to text."""
from __future__ import annotations

from flask import Flask
from flask_babel import get_locale


def localize(text: dict[str, str] | None, lang: str | None = None) -> str:
    """The text in the user's language, falling back to English."""
    if not text:
        return ""
    lang = lang or str(get_locale() or "en")
    return text.get(lang) or text.get(lang.split("_")[0]) or text.get("en", "")


def init_app(app: Flask) -> None:
    app.jinja_env.filters["t"] = localize

    @app.context_processor
    def _locale():
        from flask import current_app

        return {"current_locale": lambda: str(get_locale() or "en"),
                "config_view_functions": lambda: current_app.view_functions}
