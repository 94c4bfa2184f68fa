from flask import Blueprint

bp = Blueprint("results", __name__, template_folder="templates")

from . import views  # noqa: E402,F401
# PDF downloads and the organisation logo (the reports issue):
from . import logo, reports  # noqa: E402,F401
