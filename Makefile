# The two commands the README starts with: `make run` and `make test`.
SHELL := /bin/bash
PYTHON := .venv/bin/python
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test install install-test services lint format migrate demo web worker beat bench

## What the demo needs (no compiler, browser or MySQL driver); `make test` installs the rest.
install:
	@.ci/bootstrap.sh run

install-test:
	@.ci/bootstrap.sh test

services:
	@.ci/services.sh

## Serves a seeded demo on the embedded defaults (SQLite, eager tasks, simulated Monnify,
## console email and SMS) at http://127.0.0.1:8000.
run: install
	DJANGO_SETTINGS_MODULE=config.settings.local $(PYTHON) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.local $(PYTHON) manage.py seed_demo
	DJANGO_SETTINGS_MODULE=config.settings.local $(PYTHON) manage.py seed_demo_history
	DJANGO_SETTINGS_MODULE=config.settings.local $(PYTHON) manage.py collectstatic --noinput -v 0
	DJANGO_SETTINGS_MODULE=config.settings.local $(PYTHON) manage.py runserver --nostatic 127.0.0.1:$${PORT:-8000}

## Installs everything, makes sure MariaDB and Redis run, lints, and runs the whole suite.
test: install-test services
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	.venv/bin/lint-imports
	.venv/bin/mypy
	DJANGO_SETTINGS_MODULE=config.settings.test $(PYTHON) manage.py makemigrations --check --dry-run
	$(PYTHON) -m pytest --ds=config.settings.test $(PYTEST_ARGS)

lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .

format:
	$(PYTHON) -m ruff check --fix .
	$(PYTHON) -m ruff format .

migrate:
	$(PYTHON) manage.py migrate

## Many processes on this machine (README, "Running many processes"), each in its own terminal:
## `PORT=8001 make web`, `PORT=8002 make web`, `make worker`, `make beat` (one beat only), all on
## Redis and the DATABASE_URL you give them; their metrics merge under .metrics/.
METRICS_ROOT ?= $(CURDIR)/.metrics
MANY := DJANGO_SETTINGS_MODULE=config.settings.local USE_REDIS=true METRICS_MULTIPROC_ROOT=$(METRICS_ROOT)

web:
	$(MANY) PROMETHEUS_MULTIPROC_DIR=$(METRICS_ROOT)/web-$${PORT:-8000} .venv/bin/gunicorn -c config/gunicorn.py --bind 127.0.0.1:$${PORT:-8000} config.wsgi:application

worker:
	rm -rf $(METRICS_ROOT)/worker && mkdir -p $(METRICS_ROOT)/worker
	$(MANY) PROMETHEUS_MULTIPROC_DIR=$(METRICS_ROOT)/worker .venv/bin/celery -A config worker --loglevel=INFO

beat:
	$(MANY) .venv/bin/celery -A config beat --loglevel=INFO

bench: install-test services
	$(PYTHON) bench/run_all.py
