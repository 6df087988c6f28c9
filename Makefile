# The two commands of the README: `make demo` (the main job) and `make test` (every check).
# Both set up everything they need on a fresh machine: the virtual environment, the pinned
# requirements, the demo landing data.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DBT := $(VENV)/bin/dbt

export DBT_PROFILES_DIR := $(CURDIR)/profiles
export CHARGEBACK_LANDING_DIR ?= $(CURDIR)/data/landing
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

DEMO_REQUESTS ?= 150000
DEMO_SEED ?= 42

.PHONY: help setup data build export-marts metrics docs docs-serve summary report demo test test-demo-lane lint pytest dbt-test clean prices reprice validate bench \
	setup-postgres setup-spark postgres-start postgres-stop build-postgres build-spark test-postgres test-spark focus

help:
	@echo "make demo   generate the demo landing data if missing, dbt build, print spend by team, write the month-end pack"
	@echo "make report PERIOD=2026-10   the month-end pack of one month (default: latest invoiced)"
	@echo "make test   lint (ruff, sqlfluff), dbt build with all data and unit tests, pytest"
	@echo "make bench     BENCH_SIZES=\"1000000 10000000\": reference query, build, tests, incremental build per size; rows in BENCHMARKS.md"
	@echo "make validate  after a build: great-expectations suites generated from the dbt tests and contracts, and each month against its history (Data Docs in target/data_docs/)"
	@echo "make focus     after a build: the FOCUS 1.0 export (exports/focus/, CSV and Parquet per billing period) and focus-validator on it"
	@echo "make prices    regenerate seeds/model_prices.csv and seeds/model_match_rules.csv from the pinned genai-prices"
	@echo "make reprice   make prices, reload the price seeds and re-price the ledger and everything downstream"
	@echo "make test-postgres  on a throwaway PostgreSQL server: load, dbt build with every test, the engine pytests"
	@echo "make test-spark     on Spark in session mode: load, dbt build with every test, the engine pytests"
	@echo "make metrics   after a build: MetricFlow validates the semantic layer and answers every saved query (exports/metrics/)"
	@echo "make docs      after a build: dbt docs, offline (target/static_index.html); make docs-serve serves them"
	@echo "make dashboard after a build: the dashboard on http://127.0.0.1:8501 (reads exports/marts/)"
	@echo "make test-dashboard  the dashboard's pages in headless Chromium (Debian's), screenshots in docs/images/"
	@echo "make clean  remove the warehouse, dbt artefacts and the generated demo data"

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	$(VENV)/bin/pip install --quiet --no-deps -e .
	touch $@

setup: $(VENV)/.installed

data: setup
	@if [ -d "$(CHARGEBACK_LANDING_DIR)/gateway_requests" ]; then \
		echo "landing data present in $(CHARGEBACK_LANDING_DIR)"; \
	else \
		$(PY) -m chargeback.demo --requests $(DEMO_REQUESTS) --seed $(DEMO_SEED) --out "$(CHARGEBACK_LANDING_DIR)"; \
	fi

build: data
	@mkdir -p warehouse
	$(DBT) build
	$(PY) -m chargeback.exports --out $(MARTS_EXPORT_DIR)

# The public marts as Parquet for BI tools (exports/marts/), after a `dbt build` run by hand;
# `make build` runs it after every build.
MARTS_EXPORT_DIR ?= exports/marts
export-marts: setup
	$(PY) -m chargeback.exports --out $(MARTS_EXPORT_DIR)

# The benchmark harness: per size, generation, the hand-written reference query, the build, the
# data tests and an incremental build on the same generated Parquet data, each with its wall
# time and peak memory, appended to BENCHMARKS.md. BENCH_SIZES=50000000 for the large run.
BENCH_SIZES ?= 1000000 10000000
bench: setup
	$(PY) -m chargeback.bench --sizes $(BENCH_SIZES)

# Validation of the landing data and the marts with great-expectations, after a build: suites
# generated from the dbt manifest (target/manifest.json) plus the history checks; Data Docs
# under target/data_docs/. Fails when a critical expectation fails.
validate: setup
	$(PY) -m chargeback.validation --docs-dir target/data_docs

# The FOCUS 1.0 export of the warehouse, after a build, and the FinOps Foundation's validator
# on every file it wrote: fails when any check fails. The validator has a virtual environment
# of its own (its numpy, pandas and pyarrow pins conflict with the project's).
FOCUS_VENV := .venv-focus
FOCUS_DIR ?= exports/focus

$(FOCUS_VENV)/.installed: requirements-focus.txt
	$(PYTHON) -m venv $(FOCUS_VENV)
	$(FOCUS_VENV)/bin/pip install --quiet --upgrade pip
	$(FOCUS_VENV)/bin/pip install --quiet --no-deps -r requirements-focus.txt
	$(FOCUS_VENV)/bin/pip check
	touch $@

focus: setup $(FOCUS_VENV)/.installed
	$(PY) -m chargeback.focus export --out $(FOCUS_DIR)
	$(PY) -m chargeback.focus validate --validator $(FOCUS_VENV)/bin/focus-validator --dir $(FOCUS_DIR)

summary: setup
	$(PY) -m chargeback.summary

# The semantic layer, after a build: the semantic manifest (dbt parse), MetricFlow's checks of
# it, then every saved query of models/marts/semantic/ answered on the warehouse, each to
# exports/metrics/<saved query>.csv, its text made safe to open in a spreadsheet
# (chargeback.safe_text). Ad hoc: .venv/bin/mf query --metrics total_charge
# --group-by metric_time__month,team
METRICS_DIR ?= exports/metrics
SAVED_QUERIES = $(shell $(PY) -c 'import yaml; print(" ".join(q["name"] for q in yaml.safe_load(open("models/marts/semantic/_semantic__models.yml"))["saved_queries"]))')
metrics: setup
	@mkdir -p $(METRICS_DIR)
	$(DBT) parse --quiet
	$(VENV)/bin/mf validate-configs --skip-dw
	@for query in $(SAVED_QUERIES); do \
		echo "mf query --saved-query $$query"; \
		$(VENV)/bin/mf query --saved-query $$query --csv $(METRICS_DIR)/$$query.csv > /dev/null; \
		$(PY) -m chargeback.safe_text $(METRICS_DIR)/$$query.csv; \
		echo "  $$(($$(wc -l < $(METRICS_DIR)/$$query.csv) - 1)) rows: $(METRICS_DIR)/$$query.csv"; \
	done

# The project's documentation, after a build (the catalog reads the warehouse), offline:
# target/static_index.html is one file that opens in any browser; `make docs-serve` serves
# target/ on 127.0.0.1:$(DOCS_PORT).
DOCS_PORT ?= 8080
docs: setup
	$(DBT) docs generate --static
	@echo "documentation: target/static_index.html (one file), or make docs-serve"

docs-serve: docs
	$(DBT) docs serve --no-browser --host 127.0.0.1 --port $(DOCS_PORT)

# The finance month-end pack (workbook, CSVs, charts) of PERIOD=YYYY-MM, after a build.
report: setup
	$(PY) -m chargeback.report $(if $(PERIOD),--period $(PERIOD))

demo: build summary report

# The price catalogue: same genai-prices version, same files (no network).
prices: setup
	$(PY) -m chargeback.prices --seeds seeds

# After `make prices` or an edit of seeds/contract_prices.csv: reload the price seeds (a full
# refresh, their columns may change) and rebuild what prices depend on, the incremental ledger
# in full. Closed periods keep their chargeback: a change lands in the first open period as a
# correction.
reprice: prices
	@mkdir -p warehouse
	$(DBT) seed --full-refresh --select model_prices model_match_rules contract_prices custom_model_prices
	$(DBT) build --full-refresh --select int_model_prices_prepared+ int_contract_prices_prepared+ int_model_match_rules_prepared+ int_requests_resolved+ int_billed_lines_unioned+ int_provider_usage_unioned+

lint: setup
	$(VENV)/bin/ruff check src pytests dashboard
	$(VENV)/bin/ruff format --check src pytests dashboard
	$(VENV)/bin/sqlfluff lint --processes 2 models tests analyses

# The pytests on both cores (pytest-xdist): a worker takes whole test modules, so a module's
# warehouses are built once (PYTEST_WORKERS=1 runs everything one after another), in the
# order conftest.py's LONGEST_FIRST gives (--no-loadscope-reorder: xdist would sort them by
# their number of tests). Not --dist loadgroup: with pytest 9 it does not keep a group on one
# worker.
PYTEST_WORKERS ?= 2
pytest: setup
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder --durations=15

# Every check, each part timed (scripts/timed prints what it took), in two lanes at once
# (scripts/lanes): pytest on its two workers, and beside it the demo's build, what reads it
# (great-expectations, the FOCUS export and validator), then lint. Neither lane waits on the
# other (the pytests build copies of the project; lint runs after the build in the repository,
# as it did when the parts ran one after another), and the two cores are busy to the end
# instead of idle while one pytest worker finishes its last module. Each line shows its lane;
# the lanes' whole logs are in target/test-logs/. The pytests need the FOCUS validator's
# environment from the start.
test: setup $(FOCUS_VENV)/.installed
	@scripts/lanes target/test-logs \
		demo "$(MAKE) --no-print-directory test-demo-lane" \
		pytest "scripts/timed pytest $(MAKE) --no-print-directory pytest"

test-demo-lane: setup
	@scripts/timed "demo build" $(MAKE) --no-print-directory build
	@scripts/timed "great-expectations" $(MAKE) --no-print-directory validate
	@scripts/timed "FOCUS export and validator" $(MAKE) --no-print-directory focus
	@scripts/timed "lint" $(MAKE) --no-print-directory lint

# ---------------------------------------------------------------------------------------------
# The same project on Postgres and on Spark (README, "Running on Postgres or Spark"). Each
# command installs its pinned extras into .venv (constrained by requirements.txt), generates
# the demo at ENGINE_DEMO_REQUESTS into its own landing folder, runs the load step and
# `dbt build` (every model, seed, data test and unit test), then the engine's pytests: every
# mart against DuckDB's row by row, and the incremental build against a full refresh.
ENGINE_DEMO_REQUESTS ?= 6000
ENGINE_LANDING := $(CURDIR)/warehouse/engine_landing
ENGINE_VARS := {"chargeback__min_tagged_spend_share": 0, "chargeback__max_unpriced_share": 0.05}

$(VENV)/.installed-postgres: requirements-postgres.txt $(VENV)/.installed
	$(VENV)/bin/pip install --quiet -r requirements-postgres.txt -c requirements.txt
	touch $@

$(VENV)/.installed-spark: requirements-spark.txt $(VENV)/.installed
	scripts/ensure-java.sh
	$(VENV)/bin/pip install --quiet -r requirements-spark.txt -c requirements.txt
	touch $@

setup-postgres: $(VENV)/.installed-postgres
setup-spark: $(VENV)/.installed-spark

postgres-start:
	scripts/postgres-server.sh start

postgres-stop:
	scripts/postgres-server.sh stop

engine-data: setup
	@if [ -d "$(ENGINE_LANDING)/gateway_requests" ]; then \
		echo "engine demo data present in $(ENGINE_LANDING)"; \
	else \
		$(PY) -m chargeback.demo --requests $(ENGINE_DEMO_REQUESTS) --seed $(DEMO_SEED) --out "$(ENGINE_LANDING)"; \
	fi

build-postgres: setup-postgres engine-data
	CHARGEBACK_LANDING_DIR="$(ENGINE_LANDING)" $(PY) -m chargeback.landing --target postgres
	CHARGEBACK_LANDING_DIR="$(ENGINE_LANDING)" CHARGEBACK_TARGET=postgres \
		$(DBT) build --target-path target/postgres --vars '$(ENGINE_VARS)'

build-spark: setup-spark engine-data
	CHARGEBACK_LANDING_DIR="$(ENGINE_LANDING)" $(PY) -m chargeback.landing --target spark
	CHARGEBACK_LANDING_DIR="$(ENGINE_LANDING)" CHARGEBACK_TARGET=spark \
		$(DBT) build --target-path target/spark --vars '$(ENGINE_VARS)'

# The engine pytests run the load step and `dbt build` with every model, seed, data test and
# unit test on the engine themselves (pytests/test_engines.py, fixture `engine`), then compare
# every mart with DuckDB's and the incremental build with a full refresh. Postgres gets a
# server of its own, started before and stopped after (also when a step fails). Each engine
# step prints what its load and its dbt command took (--capture=tee-sys).
test-postgres: setup-postgres
	scripts/postgres-server.sh start
	status=0; \
	CHARGEBACK_ENGINE_DEMO_REQUESTS=$(ENGINE_DEMO_REQUESTS) $(VENV)/bin/pytest -m postgres --capture=tee-sys --durations=5 pytests/test_engines.py || status=$$?; \
	scripts/postgres-server.sh stop; \
	exit $$status

test-spark: setup-spark
	CHARGEBACK_ENGINE_DEMO_REQUESTS=$(ENGINE_DEMO_REQUESTS) $(VENV)/bin/pytest -m spark --capture=tee-sys --durations=5 pytests/test_engines.py

include dashboard/dashboard.mk

clean:
	rm -rf warehouse/* target logs data/landing reports spark-warehouse metastore_db derby.log $(FOCUS_DIR) $(MARTS_EXPORT_DIR) $(METRICS_DIR)
