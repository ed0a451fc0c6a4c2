# Everything runs from a fresh clone with only Python 3.11+, make and the package registries.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: help venv system-deps migrate run test test-fast bench lint check-deploy clean

help:
	@echo "make run    - set up and serve the app on 127.0.0.1:$(PORT) with a Celery worker and beat"
	@echo "make test   - set up and run the whole test suite"
	@echo "make bench  - print the performance figures"
	@echo "make lighthouse - Lighthouse scores per page (mobile preset, production settings)"
	@echo "make lint   - ruff"

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

# Browser tests drive Debian's Chromium (Playwright's own download cannot work here).
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: install Debian's 'chromium' package for the browser tests" >&2; exit 1; fi; }

migrate: venv
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable

run: migrate
	$(BIN)/python manage.py collectstatic --noinput -v0
	@echo "Serving on http://127.0.0.1:$(PORT)/  (Ctrl-C stops the web app, worker and beat)"
	DEBUG=$${DEBUG:-true} PORT=$(PORT) $(BIN)/honcho -f Procfile.dev start

test: venv system-deps
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

test-fast: venv
	$(BIN)/pytest -m "not browser and not worker"

bench: venv
	$(BIN)/python bench/run.py

# Lighthouse (npm, pinned in bench/lighthouse/package.json) with Debian's Chromium, mobile
# preset, against gunicorn with DEBUG=false and the demo diary: scores and LCP/TBT/CLS/bytes
# per page, median of 3 runs. A benchmark, not a test. LIGHTHOUSE_ARGS="--runs 1 --pages log".
.PHONY: lighthouse
lighthouse: venv system-deps
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing: install Debian's 'npm' package" >&2; exit 1; }
	test -x bench/lighthouse/node_modules/.bin/lighthouse || npm ci --prefix bench/lighthouse --no-audit --no-fund --loglevel=error
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python bench/lighthouse.py $(LIGHTHOUSE_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check-deploy: venv
	DEBUG=false SECRET_KEY=$$($(BIN)/python -c "import secrets; print(secrets.token_urlsafe(64))") \
	  SITE_URL=https://diary.example.org ALLOWED_HOSTS=diary.example.org \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var/broker var/staticfiles

# The production shape on loopback: its own PostgreSQL + Redis (.ci/services.sh), gunicorn with
# config/gunicorn.conf.py, a Celery worker and beat, DEBUG=false; smoke-tested, then stopped.
# It migrates its own database, so it needs only the venv. See docs/deploy.md.
.PHONY: prod-check load
prod-check: venv
	$(BIN)/python scripts/prod_check.py

# Many patients at once against the same shape (200 for 60 s); every acknowledged write is
# checked in PostgreSQL afterwards. Change it with LOAD_ARGS="--users 50 --duration 30".
load: venv
	$(BIN)/python bench/load.py $(LOAD_ARGS)

# bandit over the shipped code (medium severity and up fails) and pip-audit over the pinned
# requirements; the audit needs its vulnerability service and says so plainly when it cannot
# reach it. See scripts/security_scan.sh.
.PHONY: security-scan fuzz
security-scan: venv
	bash scripts/security_scan.sh

# Schemathesis against the app's own /api/schema/, in-process (25 examples per operation).
fuzz: venv
	$(BIN)/pytest tests/test_api_fuzz.py
