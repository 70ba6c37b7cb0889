# POC Showcase — every target is listed by `make help`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
BENCH_COUNT ?= 10000
BENCH_SCALE_COUNT ?= 100000
# The slowest tests are listed at the end of a run, so a suite growing slower shows in CI logs.
PYTEST_ARGS ?= --durations=25

.PHONY: help install os-packages vendor messages run worker test test-fast services services-stop production production-stop load drill backup restore lint check bench bench-import bench-export lighthouse bench-scale clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[1m%-15s\033[0m %s\n", $$1, $$2}'

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed vendor messages ## Create the virtual environment, install the project, its front-end libraries and translations

# Front-end libraries from package-lock.json, copied into the git-ignored static/vendor/ (no CDN, no bundler).
VENDOR := static/vendor
vendor: $(VENDOR)/.installed ## Install the front-end libraries (Leaflet, fonts, axe-core) into static/vendor/

$(VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/leaflet $(VENDOR)/leaflet.markercluster $(VENDOR)/axe-core $(VENDOR)/fonts
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images node_modules/leaflet/LICENSE $(VENDOR)/leaflet/
	cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js node_modules/leaflet.markercluster/dist/leaflet.markercluster.js.map node_modules/leaflet.markercluster/dist/MarkerCluster*.css node_modules/leaflet.markercluster/MIT-LICENCE.txt $(VENDOR)/leaflet.markercluster/
	cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE $(VENDOR)/axe-core/
	cp node_modules/@fontsource-variable/inter/files/inter-latin{,-ext}-wght-normal.woff2 $(VENDOR)/fonts/
	cp node_modules/@fontsource-variable/bricolage-grotesque/files/bricolage-grotesque-latin{,-ext}-wght-normal.woff2 $(VENDOR)/fonts/
	@touch $@
	@echo "Front-end libraries copied into $(VENDOR)/"

messages: $(VENV)/.installed ## Compile the translations (locale/*/LC_MESSAGES/django.mo)
	$(BIN)/python manage.py compilemessages --ignore='.venv/*' --ignore='node_modules/*' --verbosity=0
	@echo "Translations compiled"

os-packages: ## Install the OS packages the suite needs (PostgreSQL, JDK, Maven, Chromium...) when root
	scripts/os-packages.sh

run: install ## Serve the site with demo content on the embedded default (SQLite, no server), with its task worker
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py bootstrap_site
	@echo "Serving on http://127.0.0.1:$(PORT)/ (admin at http://127.0.0.1:$(PORT)/admin/); the task worker runs beside it"
	$(BIN)/python manage.py db_worker --no-startup-delay & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

worker: install ## Run the task worker alone (index updates, emails): what production runs beside gunicorn
	$(BIN)/python manage.py db_worker

test: os-packages install ## Run the whole suite against real Elasticsearch and PostgreSQL, then on SQLite
	scripts/with-services.sh $(BIN)/python -m pytest $(PYTEST_ARGS)
	@echo "The database backend's contract and hostile queries, on the embedded SQLite:"
	env -u DATABASE_URL -u ELASTICSEARCH_URL $(BIN)/python -m pytest -q \
		tests/search/test_faceted_contract.py tests/search/test_bilingual_search.py \
		tests/search/test_visibility.py tests/search/test_hostile_queries.py \
		tests/search/test_steering_contract.py \
		-k "database or (test_hostile_queries and not elasticsearch)"

test-fast: install ## Run the suite on the embedded default only (service tests skip outside CI)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

services: ## Start Elasticsearch and PostgreSQL and print the variables to use them
	scripts/services.sh start

services-stop: ## Stop the services started by `make services`
	scripts/services.sh stop

production: os-packages install ## Start the production topology on loopback (nginx, gunicorn, worker, PostgreSQL, 3 Elasticsearch nodes, demo)
	scripts/production.sh start

production-stop: ## Stop everything `make production` started and delete its data
	scripts/production.sh stop

load: ## Load-test the running production stack (wrk, 32 connections, 60 s); per-route figures
	$(BIN)/python scripts/load.py $(LOAD_ARGS)

drill: ## Under load, stop one Elasticsearch node, then the whole cluster; exit 1 if a promise broke
	$(BIN)/python scripts/drill.py $(DRILL_ARGS)

backup: ## Back up the running production stack (PostgreSQL dump, media, manifest) into backups/
	scripts/backup.sh --env-file $${SHOWCASE_PRODUCTION_DIR:-.cache/production}/showcase.env --output backups

restore: ## Restore BACKUP=backups/<name> into the running production stack, then rebuild the index
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/<name>" >&2; exit 2; }
	scripts/restore.sh --env-file $${SHOWCASE_PRODUCTION_DIR:-.cache/production}/showcase.env $(BACKUP)

lint: install ## ruff, the import contracts (pyproject.toml), Django's system checks and missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=showcase.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=showcase.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

check: lint ## Alias of lint

bench: install ## Benchmark the catalogue search on BENCH_COUNT POCs; writes bench-report.md
	SHOWCASE_ES_JAVA_OPTS="-Xms1g -Xmx1g" scripts/with-services.sh bash -c \
		'DJANGO_SETTINGS_MODULE=showcase.settings.dev \
		MEDIA_ROOT="$$(mktemp -d)" DEBUG=false && trap "rm -rf $$MEDIA_ROOT" EXIT \
		&& export DJANGO_SETTINGS_MODULE MEDIA_ROOT DEBUG \
		&& $(BIN)/python manage.py migrate --no-input -v0 \
		&& $(BIN)/python -m tests.benchmarks.catalogue_search --count $(BENCH_COUNT) --report bench-report.md'

bench-import: install ## Time importing 600 generated POCs with their photos (SQLite, no Elasticsearch)
	env -u DATABASE_URL -u ELASTICSEARCH_URL $(BIN)/python -m tests.benchmarks.import_600 --count $(or $(BENCH_IMPORT_COUNT),600)

bench-export: install ## Peak memory of the open-data exports: 600 demo POCs (database), BENCH_EXPORT_COUNT generated ones (Elasticsearch)
	SHOWCASE_ES_JAVA_OPTS="-Xms1g -Xmx1g" scripts/with-services.sh bash -c \
		'DJANGO_SETTINGS_MODULE=showcase.settings.dev \
		MEDIA_ROOT="$$(mktemp -d)" DEBUG=false && trap "rm -rf $$MEDIA_ROOT" EXIT \
		&& export DJANGO_SETTINGS_MODULE MEDIA_ROOT DEBUG \
		&& $(BIN)/python manage.py migrate --no-input -v0 \
		&& $(BIN)/python -m tests.benchmarks.export_memory --count $(or $(BENCH_EXPORT_COUNT),10000) --database-count 600'

lighthouse: os-packages install ## Lighthouse (mobile) on five pages of a throwaway production-like site; writes lighthouse-report.md
	$(BIN)/python scripts/lighthouse.py $(LIGHTHOUSE_ARGS)

bench-scale: install ## The search layer on BENCH_SCALE_COUNT generated POCs against 10,000; writes bench-report-scale.md
	SHOWCASE_ES_JAVA_OPTS="-Xms1g -Xmx1g" scripts/with-services.sh bash -c \
		'DJANGO_SETTINGS_MODULE=showcase.settings.dev \
		MEDIA_ROOT="$$(mktemp -d)" DEBUG=false && trap "rm -rf $$MEDIA_ROOT" EXIT \
		&& export DJANGO_SETTINGS_MODULE MEDIA_ROOT DEBUG \
		&& $(BIN)/python manage.py migrate --no-input -v0 \
		&& $(BIN)/python -m tests.benchmarks.scale --count $(BENCH_SCALE_COUNT) --report bench-report-scale.md'

clean: ## Remove the virtual environment, local database and caches (keeps the service downloads)
	rm -rf $(VENV) db.sqlite3 .pytest_cache .ruff_cache node_modules $(VENDOR)
