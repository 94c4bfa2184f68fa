"""The ``flask --app app ...`` command line (CONTRACTS.md). One module per group."""
from __future__ import annotations

import importlib

from flask import Flask

# Each module exposes a click group named ``cli``; absent modules are skipped so
# that an area can be added without touching this file's logic.
GROUPS = ("users", "demo", "questionnaire", "score", "report", "odk")


def register(app: Flask) -> None:
    for name in GROUPS:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{name}":
                continue
            raise
        app.cli.add_command(module.cli, name)
