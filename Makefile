# ReSource Portal — the two commands a newcomer needs: `make run` and `make test`.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The PostgreSQL server the second test run uses; its test database is created fresh.
POSTGRES_TEST_URL ?= postgres://postgres@127.0.0.1:5432/resource_portal
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install messages run test test-sqlite test-postgres check format clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable '.[dev]'
	touch $(STAMP)

install: $(STAMP) messages

# Compiled translations are built, never committed.
messages: $(STAMP)
	@if ls locale/*/LC_MESSAGES/django.po >/dev/null 2>&1; then \
		DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv -v0; fi

run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_seed_content
	DEBUG=1 $(BIN)/python manage.py create_dev_superuser
	@echo "ReSource Portal: http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/, user admin, password admin)"
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The whole suite, on the embedded SQLite database and then on PostgreSQL.
# With REQUIRE_POSTGRES=1 an unreachable PostgreSQL fails the run instead of skipping it.
test: install test-sqlite test-postgres

test-sqlite: install
	@echo "== Test suite on SQLite =="
	env -u DATABASE_URL $(BIN)/python -m pytest

test-postgres: install
	@if $(BIN)/python -c "import sys, psycopg; psycopg.connect(sys.argv[1], dbname='postgres', connect_timeout=5).close()" "$(POSTGRES_TEST_URL)" 2>/dev/null; then \
		echo "== Test suite on PostgreSQL ($(POSTGRES_TEST_URL)) =="; \
		DATABASE_URL="$(POSTGRES_TEST_URL)" $(BIN)/python -m pytest; \
	elif [ "$(REQUIRE_POSTGRES)" = "1" ]; then \
		echo "PostgreSQL is not reachable at $(POSTGRES_TEST_URL) and REQUIRE_POSTGRES=1: failing."; \
		exit 1; \
	else \
		echo "PostgreSQL is not reachable at $(POSTGRES_TEST_URL): the PostgreSQL run is SKIPPED."; \
		echo "Start PostgreSQL or set POSTGRES_TEST_URL to run it."; \
	fi

# Lint, format and migration checks (CI runs these too).
check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
