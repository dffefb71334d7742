# The two commands a new user needs: `make run` (demo on SQLite) and `make test` (the suite on
# PostgreSQL and Redis). Everything else here is what those two and CI are made of.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

# Tests get their defaults from helpdesk/settings_test.py (PostgreSQL and Redis on localhost);
# DATABASE_URL and REDIS_URL in the environment override them.
TEST_ENV := DJANGO_SETTINGS_MODULE=helpdesk.settings_test

.PHONY: run test lint format bench bench-assign bench-csv bench-load messages install clean services-check browser gettext weasyprint-libs

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet wheel 'setuptools<81'
	$(PY) -m pip install --quiet --no-build-isolation 'XStatic-Bootstrap>=5.3,<5.4'
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

gettext:
	@command -v msgfmt >/dev/null || { echo "Installing gettext (msgfmt) ..."; \
		(apt-get update -qq && apt-get install -y -qq gettext) >/dev/null 2>&1 || \
		sudo apt-get install -y -qq gettext >/dev/null || \
		{ echo "Please install GNU gettext (msgfmt)."; exit 1; }; }

messages: install gettext
	SECRET_KEY=build-only $(PY) manage.py compilemessages --ignore=.venv -v 0

.env:
	@echo "Writing .env with a fresh SECRET_KEY (demo settings: SQLite, file-system broker)"
	@printf 'SECRET_KEY=%s\nDEBUG=0\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env

run: install messages weasyprint-libs .env
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_demo_replies
	@echo
	@echo "Portal:  http://127.0.0.1:8000/        Admin: http://127.0.0.1:8000/admin/"
	@echo "Sent mail (the demo sends none, it keeps each in var/mail/): http://127.0.0.1:8000/admin/sent-mail/"
	@echo "Stop with Ctrl-C."
	@# honcho ends with 130/143 when stopped by Ctrl-C: that is the normal way out, not an error.
	@$(BIN)/honcho -f Procfile.dev start; status=$$?; \
		if [ $$status -eq 130 ] || [ $$status -eq 143 ]; then exit 0; else exit $$status; fi

services-check: install
	@$(TEST_ENV) $(PY) scripts/check_services.py

browser:
	@command -v chromium >/dev/null || { echo "Installing Debian's Chromium for browser tests ..."; \
		(apt-get update -qq && apt-get install -y -qq chromium) >/dev/null 2>&1 || \
		{ echo "Please install Chromium (Debian package 'chromium')."; exit 1; }; }

# WeasyPrint (the SLA report's PDF, issue 15) needs Pango and HarfBuzz from Debian, and a font
# with Cyrillic letters.
WEASYPRINT_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
weasyprint-libs:
	@dpkg -s $(WEASYPRINT_DEBS) >/dev/null 2>&1 || { echo "Installing WeasyPrint's libraries ..."; \
		(apt-get update -qq && apt-get install -y -qq $(WEASYPRINT_DEBS)) >/dev/null 2>&1 || \
		sudo apt-get install -y -qq $(WEASYPRINT_DEBS) >/dev/null || \
		{ echo "Please install $(WEASYPRINT_DEBS)."; exit 1; }; }

test: install messages services-check browser weasyprint-libs
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(PY) scripts/check_import_cycles.py
	$(PY) scripts/check_function_length.py
	SECRET_KEY=lint-only $(BIN)/mypy
	SECRET_KEY=lint-only $(PY) manage.py makemigrations --check --dry-run
	SECRET_KEY=lint-only $(PY) manage.py check

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(PY) bench/bench_deadlines.py
	$(PY) bench/bench_jobs.py
	$(PY) bench/bench_queue.py
	$(PY) bench/bench_pages.py
	$(PY) bench/bench_mail.py
	$(PY) bench/bench_import.py
	$(PY) bench/bench_report.py
	$(PY) bench/bench_api.py
	$(PY) bench/bench_markdown.py
	$(PY) bench/bench_csv.py

# The CSV exports at 10,000 and 100,000+ rows (issue 18): time and peak memory.
bench-csv: install
	$(PY) bench/bench_csv.py

# Auto-assignment's cost at registration (issue 18): 1M tickets, 100 engineers, its own
# database helpdesk_bench_assign (DATABASE_URL overrides; the name must contain "bench").
bench-assign: install
	$(PY) bench/bench_assign.py

# The mixed load (issue 14): gunicorn on the bench database and locust, headless, for a while.
bench-load: install
	bench/run_load.sh

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache .hypothesis .mypy_cache .import_linter_cache .grimp_cache
