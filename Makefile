# The two commands the README starts with: `make run` and `make test`.
SHELL := /bin/bash
PYTHON := .venv/bin/python
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test install install-test services lint format migrate demo worker beat bench

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

## A worker and beat against Redis for the local settings (run the server with USE_REDIS=true too).
worker:
	DJANGO_SETTINGS_MODULE=config.settings.local USE_REDIS=true .venv/bin/celery -A config worker --loglevel=INFO

beat:
	DJANGO_SETTINGS_MODULE=config.settings.local USE_REDIS=true .venv/bin/celery -A config beat --loglevel=INFO

bench: install-test services
	$(PYTHON) bench/run_all.py
