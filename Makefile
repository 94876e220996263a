# Two commands set everything up: `make demo` and `make test`. See README.md.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
WEB_CONCURRENCY ?= 2
PYTEST_ARGS ?= -n 2

# The web server with the background task worker (notifications, events between apps such as
# points awards) and the clock (deadlines, expiries) beside it; all three stop together.
define RUN_ALL
$(PY) manage.py db_worker --queue-name '*' --no-reload & worker=$$!; \
$(PY) manage.py run_periodic & clock=$$!; \
trap 'kill $$worker $$clock 2>/dev/null' EXIT INT TERM; \
$(VENV)/bin/gunicorn config.wsgi -c config/gunicorn.conf.py --bind 127.0.0.1:$(PORT) --workers $(WEB_CONCURRENCY) \
	--access-logfile - --forwarded-allow-ips 127.0.0.1
endef

.PHONY: install demo serve migrate test test-pg lint format openapi messages bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

## make demo: install, migrate the SQLite database in var/, load the demo city, serve on :$(PORT)
demo: migrate
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Dandelion is serving on http://127.0.0.1:$(PORT)/  (API docs: /api/v1/docs, console: /console/, admin: /admin/)"
	$(RUN_ALL)

## make serve: the web server with its background task worker and clock, no demo data
serve: install
	$(RUN_ALL)

## make test: lint, the import layers, migration and OpenAPI drift checks, then the whole suite
## with schemathesis and browser tests
test: install lint
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run --verbosity 0
	$(PY) manage.py openapi --check
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## make test-pg: the suite on PostgreSQL (DATABASE_URL defaults to the local server)
test-pg: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/dandelion} \
		$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

openapi: install
	$(PY) manage.py openapi

## make messages: refresh every app's English catalogue (dandelion/<app>/locale/en), then compile
messages: install
	for dir in dandelion/*/locale; do \
		(cd $$(dirname $$dir) && ../../$(PY) ../../manage.py makemessages --locale en --no-obsolete) || exit 1; \
	done
	$(PY) manage.py compilemessages --ignore .venv

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var/static .pytest_cache .ruff_cache
