# The front door. `make run` for the quickstart, `make test` for everything CI checks.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
TEST_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/archive)
PORT ?= 8000
TEST_ENV := DJANGO_SECRET_KEY=tests-only-secret DATABASE_URL=$(TEST_DATABASE_URL)

.PHONY: install install-dev run serve worker backup restore test test-sqlite lint fmt smoke bench perf screenshots clean

# What running needs (make run, make serve); the test and benchmark tools come with `make test`.
$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# axe-core and the Nu Html Checker for tests/browser/test_accessibility.py (its Java is the system's,
# so vnu-jar's JDK-downloading install script is skipped). Without npm those tests skip, except
# under CI=true, where a missing npm stops here (and a skipped test fails: conftest.py).
IN_CI := $(filter 1 true yes,$(shell echo '$(CI)' | tr '[:upper:]' '[:lower:]'))
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --silent --ignore-scripts && touch $@; \
	elif [ -n "$(IN_CI)" ]; then \
		echo "error: npm not found, and CI=true: the accessibility tests need it (apt-get install npm)" >&2; \
		exit 1; \
	else \
		echo "warning: npm not found, so the accessibility tests will be skipped" >&2; \
	fi

run: install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py load_demo --if-empty
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production: gather hashed, compressed static files, migrate, serve with gunicorn
# (gunicorn.conf.py). Needs the production environment (.env.example): DJANGO_SECRET_KEY, DATABASE_URL...
serve: install
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py migrate --noinput
	$(VENV)/bin/gunicorn --config gunicorn.conf.py config.wsgi

# Production's background jobs (config/celery.py): a Celery worker with beat inside it (hit
# flushing every minute, e-mail retries, the daily digests), for the broker in CELERY_BROKER_URL.
# Run one per host; a larger site runs beat once (celery -A config beat) and workers without -B.
worker: install
	@test -n "$(CELERY_BROKER_URL)" || { echo "CELERY_BROKER_URL is not set (e.g. redis://127.0.0.1:6379/1)" >&2; exit 1; }
	$(VENV)/bin/celery -A config worker --beat --loglevel=INFO --concurrency=$${CELERY_CONCURRENCY:-2} --schedule=$${CELERY_BEAT_SCHEDULE_FILE:-/tmp/archive-celerybeat-schedule}

# A PostgreSQL backup of DATABASE_URL (pg_dump's custom format), and restoring one into it:
#   make backup [BACKUP_FILE=backups/archive.dump]
#   make restore BACKUP_FILE=backups/archive-20260101-0300.dump
# Restoring replaces every table the backup holds, in one transaction: it all lands or nothing does.
BACKUP_FILE ?= backups/archive-$(shell date -u +%Y%m%d-%H%M%S).dump
backup:
	@test -n "$(DATABASE_URL)" || { echo "DATABASE_URL is not set" >&2; exit 1; }
	@mkdir -p $(dir $(BACKUP_FILE))
	pg_dump --format=custom --no-owner --file="$(BACKUP_FILE)" --dbname="$(DATABASE_URL)"
	@echo "Backed up to $(BACKUP_FILE)"

restore:
	@test -n "$(DATABASE_URL)" || { echo "DATABASE_URL is not set" >&2; exit 1; }
	@test "$(origin BACKUP_FILE)" != file || { echo "Say which backup: make restore BACKUP_FILE=..." >&2; exit 1; }
	@test -f "$(BACKUP_FILE)" || { echo "No backup at $(BACKUP_FILE)" >&2; exit 1; }
	pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$(DATABASE_URL)" "$(BACKUP_FILE)"
	@echo "Restored $(BACKUP_FILE)"

test: install-dev node_modules/.installed
	DJANGO_SECRET_KEY=tests-only-secret DATABASE_URL=sqlite:///:memory: $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)
	$(MAKE) test-sqlite
	$(MAKE) smoke

# Every test on SQLite, the quickstart's database (in a file under tmp/, which pytest-django
# creates and removes): `make test` runs it after PostgreSQL, so no feature may crash on the
# database a newcomer meets. Tests marked postgres_only are skipped, each with its reason (-rs).
test-sqlite: install-dev node_modules/.installed
	@mkdir -p tmp
	DJANGO_SECRET_KEY=tests-only-secret DATABASE_URL=sqlite:///$(CURDIR)/tmp/tests.sqlite3 $(PY) -m pytest -rs $(PYTEST_ARGS)

# The SQLite quickstart, end to end: migrate, load the demo, fetch the pages a newcomer opens.
smoke: install-dev
	$(PY) scripts/smoke_sqlite.py

# Search timings on a generated archive: make bench BENCH_WORKS=1000000
BENCH_WORKS ?= 100000
bench: install-dev
	scripts/bench.sh $(BENCH_WORKS)

# Requests per second per page, logged out and in, against a bare Django hello served the same way,
# on the bench archive (README "Speed per core"). PERF_DURATION=3 PERF_PAGES=front,work for a try.
perf: install-dev
	$(PY) scripts/perf.py

# wrk with scripts/loadtest.lua, 200 connections for 2 minutes on gunicorn + PostgreSQL + Redis, then
# again with PostgreSQL restarted midway (needs root: it restarts the local cluster). README "Load test";
# LOADTEST_CLIENTS=50 LOADTEST_SECONDS=20 for a try.
.PHONY: loadtest
loadtest: install-dev
	$(PY) scripts/loadtest.py

# The production layout of deploy/ on this machine (README "Running at AO3's size"): its own PostgreSQL
# primary and streaming replica, two gunicorn hosts behind nginx, a Celery worker, Redis databases
# 11 and 12; a mixed load through nginx while one host is killed and then the replica stopped; a
# table of requirements, exit 1 if one fails. Everything it starts is stopped and removed. Not part
# of `make test` (a few minutes, heavy). SCALETEST_SECONDS=30 for a try.
.PHONY: scaletest
scaletest: install-dev
	scripts/scaletest.sh

# The demo on a phone and a desktop, light and dark, for the README (docs/screenshots/).
screenshots: install-dev
	$(PY) scripts/screenshots.py

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
