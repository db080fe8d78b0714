# The two commands: `make run` and `make test`. Both create .venv and install on first use;
# running either again only reinstalls when a requirements file changed.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest arguments, e.g. `make test ARGS="tests/home -k search"`
ARGS ?=
# Tests run in parallel on every core (pytest-xdist); WORKERS=0 runs them in one process.
WORKERS ?= auto
# The test database is kept between runs (Django migrates it forward); CI passes --create-db.
TEST_DB ?= --reuse-db

.DEFAULT_GOAL := help
.PHONY: install help run serve test test-browser lint format migrate seed messages check-deploy clean bench-chat bench faults

help:
	@echo "make run      install, migrate, load demo data, serve http://$(HOST):$(PORT) (with websockets)"
	@echo "make test     install and run the whole test suite (ARGS=... passes pytest arguments)"
	@echo "make lint     ruff check and format check"
	@echo "make messages regenerate and compile the Russian translation catalogue"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Reinstall only when a requirements file is newer than the stamp.
$(VENV)/.installed: $(PY) requirements.txt requirements-dev.txt requirements.lock
	$(PIP) install --quiet -r requirements-dev.txt -c requirements.lock
	@touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

# Links in e-mails and the printed addresses follow the address served. Only a default: the
# settings prefer SITE_URL when it is set in the environment or in .env.
SERVED_SITE := CMS_DEFAULT_SITE_URL=http://$(HOST):$(PORT)

seed: migrate
	$(SERVED_SITE) $(PY) manage.py seed_demo

run: seed
	@echo "Serving on http://$(HOST):$(PORT)/ (HTTP and websockets; Ctrl+C stops)"
	$(SERVED_SITE) $(PY) manage.py runserver $(HOST):$(PORT)

serve: install
	$(SERVED_SITE) $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(VENV)/bin/pytest -n $(WORKERS) $(TEST_DB) --durations=20 $(ARGS)

test-browser: install
	CMS_REQUIRE_BROWSER=1 $(VENV)/bin/pytest -n $(WORKERS) $(TEST_DB) -m browser $(ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Needs GNU gettext (xgettext); the compiled catalogue is committed, so nothing else does.
messages: install
	$(PY) manage.py makemessages --locale ru --ignore ".venv/*" --ignore "staticfiles/*" --no-obsolete
	$(PY) manage.py makemessages --locale ru --domain djangojs --ignore ".venv/*" --ignore "staticfiles/*" --no-obsolete
	$(PY) scripts/compile_messages.py

# The chat's benchmark against a bare relay (scripts/bench_chat.py; PostgreSQL and Redis on
# 127.0.0.1, a few minutes; not a test). ARGS=... passes the script's options.
bench-chat: install
	$(PY) scripts/bench_chat.py $(ARGS)

# The load-test harness (scripts/loadtest/run.py): the production topology (PostgreSQL with the
# pool, Redis, gunicorn, uvicorn, the task worker, nginx) on this machine, a wrk /ping baseline
# and locust's mixed load at 16, 64, 200 members; minutes, not a test. Needs nginx and wrk.
# DATABASE_URL/REDIS_URL choose the database (seeded when empty); ARGS=... passes options
# (--help lists them, e.g. ARGS="--page-cache off", ARGS="--stacks 2").
bench: install
	$(PY) scripts/loadtest/run.py $(ARGS)

# The fault scripts (scripts/faults/, docs/reliability.md): the same topology with Redis
# stopped, PostgreSQL cut, the task worker killed, SMTP refusing, the private disk full; each
# prints sent / stored / delivered / lost / duplicated. Minutes, not a test; needs root for the
# tmpfs. ARGS="--only redis_outage" runs some.
faults: install
	$(PY) scripts/faults/run_all.py $(ARGS)

check-deploy: install
	DJANGO_SETTINGS_MODULE=cms.settings.production $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
