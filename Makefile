# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
# Links in the demo's emails point at the address the demo serves.
DEMO_ENV := DJANGO_SETTINGS_MODULE=config.settings.dev PORTAL_BASE_URL=http://127.0.0.1:$(PORT)

.PHONY: run test fuzz lint format messages system-packages clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PIP) install -q -r requirements-dev.txt
	touch $@

system-packages:
	bash scripts/system-packages.sh

# The demo: SQLite in var/, Celery eager, demo data, http://127.0.0.1:$(PORT) (make run PORT=8001)
run: $(VENV)/.runtime
	mkdir -p var
	-command -v msgfmt >/dev/null && $(DEMO_ENV) $(PY) manage.py compilemessages -v0 --ignore=.venv
	$(DEMO_ENV) $(PY) manage.py migrate --noinput -v0
	$(DEMO_ENV) $(PY) manage.py seed_demo
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.dev system-packages
	$(PY) manage.py compilemessages -v0 --ignore=.venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run -v0
	$(PY) -m pytest $(PYTEST_ARGS)

# schemathesis over the whole OpenAPI schema, as a platform key and as a staff token,
# FUZZ_EXAMPLES generated cases per operation (default 15): no 5xx, answers as the
# schema says. .ci/run runs it after `make test`.
fuzz: $(VENV)/.dev
	$(PY) -m pytest tests/security/fuzz_api.py -q

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Extract strings into the Chinese catalogue and compile it.
messages: $(VENV)/.dev
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=tests --no-obsolete
	$(PY) manage.py compilemessages -v0 --ignore=.venv

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
