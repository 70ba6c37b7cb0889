# POC Showcase — every target is listed by `make help`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
BENCH_COUNT ?= 10000

.PHONY: help install run test test-fast services services-stop lint check bench clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[1m%-15s\033[0m %s\n", $$1, $$2}'

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed ## Create the virtual environment and install the project

run: install ## Serve the site with demo content on the embedded default (SQLite, no server)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py bootstrap_site
	@echo "Serving on http://127.0.0.1:$(PORT)/ (admin at http://127.0.0.1:$(PORT)/admin/)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install ## Run the whole suite against real Elasticsearch and PostgreSQL
	scripts/with-services.sh $(BIN)/python -m pytest $(PYTEST_ARGS)
	@echo "Catalogue search contract, database backend, on the embedded SQLite:"
	env -u DATABASE_URL -u ELASTICSEARCH_URL $(BIN)/python -m pytest -q \
		tests/search/test_faceted_contract.py -k database

test-fast: install ## Run the suite on the embedded default only (service tests skip outside CI)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

services: ## Start Elasticsearch and PostgreSQL and print the variables to use them
	scripts/services.sh start

services-stop: ## Stop the services started by `make services`
	scripts/services.sh stop

lint: install ## ruff, Django's system checks and missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=showcase.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=showcase.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

check: lint ## Alias of lint

bench: install ## Benchmark the catalogue search on BENCH_COUNT POCs; writes bench-report.md
	SHOWCASE_ES_JAVA_OPTS="-Xms1g -Xmx1g" scripts/with-services.sh bash -c \
		'DJANGO_SETTINGS_MODULE=showcase.settings.dev \
		MEDIA_ROOT="$$(mktemp -d)" DEBUG=false && trap "rm -rf $$MEDIA_ROOT" EXIT \
		&& export DJANGO_SETTINGS_MODULE MEDIA_ROOT DEBUG \
		&& $(BIN)/python manage.py migrate --no-input -v0 \
		&& $(BIN)/python manage.py catalogue_bench --count $(BENCH_COUNT) --report bench-report.md'

clean: ## Remove the virtual environment, local database and caches (keeps the service downloads)
	rm -rf $(VENV) db.sqlite3 .pytest_cache .ruff_cache
