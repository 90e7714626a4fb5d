# ReSource Portal — the two commands a newcomer needs: `make run` and `make test`.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes in parallel (pytest-xdist); each has a database of its own.
TEST_WORKERS ?= 2

.PHONY: install messages run test check format clean backup restore

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

# Without DATABASE_URL every step uses the portal's own PostgreSQL server, with its
# data in .pgdata/: the first step starts it, and it stops when the last ends.
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_seed_content
	DEBUG=1 $(BIN)/python manage.py create_dev_superuser
	@echo "ReSource Portal: http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/, user admin, password admin)"
	@# The job worker (file imports) runs beside runserver and stops with it; it
	@# reloads on code changes as runserver does (its reloader is its child).
	@DEBUG=1 $(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'pkill -TERM -P $$worker 2>/dev/null; kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The whole suite, once, on PostgreSQL: the server at POSTGRES_TEST_URL when it
# answers, otherwise the embedded one (tests/settings.py). With REQUIRE_POSTGRES=1
# the server at POSTGRES_TEST_URL must answer.
test: install
	@start=$$(date +%s); \
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile; status=$$?; \
	echo "make test: $$(( $$(date +%s) - start )) s"; \
	exit $$status

# Lint, format, migration and import-layer checks (CI runs these too).
check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# A backup of the database and the media files into backups/<UTC time>/, and its
# restore: `make restore BACKUP=backups/<name>` (FORCE=1 to replace a database that
# holds tables, which is kept under another name; DATABASE_NAME=name to restore into
# another database of the same server). The same settings as the portal
# (DATABASE_URL, or the embedded server; MEDIA_ROOT); see README.md, "Backups".
DEBUG ?= 1
backup: install
	DEBUG=$(DEBUG) $(BIN)/python manage.py backup

restore: install
	@test -n "$(BACKUP)" || { echo "make restore BACKUP=backups/<name> [FORCE=1] [DATABASE_NAME=name]"; exit 2; }
	DEBUG=$(DEBUG) $(BIN)/python manage.py restore "$(BACKUP)" $(if $(FORCE),--force) \
		$(if $(DATABASE_NAME),--database-name "$(DATABASE_NAME)")

# Keeps .pgdata/, the development database: remove it by hand to start afresh.
clean:
	rm -rf $(VENV) staticfiles
