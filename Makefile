# The front door. `make run` for the quickstart, `make test` for everything CI checks.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
TEST_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/archive)
TEST_ENV := DJANGO_SECRET_KEY=tests-only-secret DATABASE_URL=$(TEST_DATABASE_URL)

.PHONY: install run test lint fmt smoke bench screenshots clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# axe-core and the Nu Html Checker for tests/browser/test_accessibility.py (its Java is the system's,
# so vnu-jar's JDK-downloading install script is skipped). Without npm those tests skip.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --silent --ignore-scripts && touch $@; \
	else \
		echo "warning: npm not found, so the accessibility tests will be skipped" >&2; \
	fi

run: install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py load_demo --if-empty
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

test: install node_modules/.installed
	DJANGO_SECRET_KEY=tests-only-secret DATABASE_URL=sqlite:///:memory: $(PY) manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)
	$(MAKE) smoke

# The SQLite quickstart, end to end: migrate, load the demo, fetch the pages a newcomer opens.
smoke: install
	$(PY) scripts/smoke_sqlite.py

# Search timings on a generated archive: make bench BENCH_WORKS=1000000
BENCH_WORKS ?= 100000
bench: install
	scripts/bench.sh $(BENCH_WORKS)

# 200 clients for 2 minutes on gunicorn + PostgreSQL + Redis, then again with PostgreSQL restarted
# midway (needs root: it restarts the local cluster). README "Load test"; LOADTEST_CLIENTS=20 for a try.
.PHONY: loadtest
loadtest: install
	$(PY) scripts/loadtest.py

# The demo on a phone and a desktop, light and dark, for the README (docs/screenshots/).
screenshots: install
	$(PY) scripts/screenshots.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
