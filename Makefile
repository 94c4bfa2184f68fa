# Two commands for a newcomer: `make run` and `make test` (CONTRACTS.md).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app app
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test test-quick lint install install-dev check-system db demo translations perf perf-quick loadtest clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# WeasyPrint needs Pango; the reports use the DejaVu fonts (Debian: fonts-dejavu-core).
check-system:
	@$(PY) -c "import weasyprint" 2>/dev/null || { echo "WeasyPrint cannot load Pango: apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"; exit 1; }
	@fc-list 2>/dev/null | grep -q "DejaVuSans" || { echo "The DejaVu fonts are missing: apt-get install -y fonts-dejavu-core"; exit 1; }
	@fc-list 2>/dev/null | grep -q "Amiri-Regular" || { echo "The Arabic font for the PDFs is missing: apt-get install -y fonts-hosny-amiri"; exit 1; }
	@fc-list :lang=zh 2>/dev/null | grep -q . || { echo "No Chinese font for the PDFs: apt-get install -y fonts-wqy-microhei"; exit 1; }

db: $(VENV)/.installed
	$(FLASK) db upgrade
	$(FLASK) questionnaire publish

demo: db
	$(FLASK) demo seed

run: $(VENV)/.installed check-system demo
	@# The demo's submitted reports are rendered into the PDF cache alongside the server
	@# (some seconds each), so that their first download is immediate.
	@# PUBLIC_URL: the address the reports' "how to cite" line gives (unless set already).
	@PUBLIC_URL=$${PUBLIC_URL:-http://$(HOST):$(PORT)} $(FLASK) report warm > instance/report-warm.log 2>&1 &
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl-C to stop)"
	PUBLIC_URL=$${PUBLIC_URL:-http://$(HOST):$(PORT)} $(FLASK) run --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-dev
	$(PY) -m pytest -q -n 3 --dist loadfile

# Everything but the tests marked slow (full PDF renders, gunicorn, LibreOffice, Chromium).
test-quick: $(VENV)/.installed-dev
	$(PY) -m pytest -q -n 3 --dist loadfile -m "not slow"

# The suite runs it too (tests/quality/test_lint.py).
lint: $(VENV)/.installed-dev
	$(PY) -m ruff check app tests

# Every benchmark in full (the stored-assessment scoring part alone takes ~15 minutes).
perf: $(VENV)/.installed-dev
	@status=0; for f in tests/perf/bench_*.py; do echo "== $$f"; $(PY) $$f || status=1; done; exit $$status

# A few minutes: smaller sizes, same figures and ratios.
perf-quick: $(VENV)/.installed-dev
	$(PY) tests/perf/bench_scoring.py --quick
	$(PY) tests/perf/bench_reports.py --runs 3
	$(PY) tests/perf/bench_review.py
	$(PY) tests/perf/bench_results.py --runs 5
	$(PY) tests/perf/bench_pages.py --quick

# Locust against gunicorn + PostgreSQL + Redis + a queue worker (a few minutes; not in make test).
loadtest: $(VENV)/.installed-dev
	$(PY) tests/perf/loadtest.py

# The catalogues are written as these commands write them (tests/i18n/test_catalogues.py):
# lines wrapped at 100 columns; a new msgid comes in untranslated, not as a fuzzy guess (the
# old entry stays below as an obsolete "#~" one); the POT-Creation-Date is the only line that
# changes at each run, so the .pot is replaced only when something else changed, and the .po
# files keep theirs.
POT       := app/translations/messages.pot
BABEL_OPT := --width 100
translations: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ $(BABEL_OPT) -o $(POT).new .
	@if diff -q -I '^"POT-Creation-Date: ' $(POT) $(POT).new >/dev/null 2>&1; then rm $(POT).new; else mv $(POT).new $(POT); fi
	$(VENV)/bin/pybabel update -i $(POT) -d app/translations $(BABEL_OPT) --no-fuzzy-matching --ignore-pot-creation-date
	$(VENV)/bin/pybabel compile -d app/translations

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
