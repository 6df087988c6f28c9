# The dashboard (dashboard/app.py, Streamlit): spend, team bills, invoice reconciliation, unit
# cost and budget from the Parquet export of the marts (MARTS_EXPORT_DIR, written by `make
# build`); it never opens the warehouse file. Included by the main Makefile, whose VENV, PY,
# $(VENV)/.installed and MARTS_EXPORT_DIR it uses.
#   make dashboard        serve it on http://127.0.0.1:$(DASHBOARD_PORT) (default 8501)
#   make test-dashboard   the browser test: each page in headless Chromium against the export

MARTS_EXPORT_DIR ?= exports/marts
DASHBOARD_PORT ?= 8501
DASHBOARD_FLAGS = --server.headless true --server.address 127.0.0.1 \
	--server.port $(DASHBOARD_PORT) --browser.gatherUsageStats false --client.toolbarMode minimal

.PHONY: setup-dashboard dashboard-exports dashboard test-dashboard

$(VENV)/.installed-dashboard: requirements-dashboard.txt $(VENV)/.installed
	$(VENV)/bin/pip install --quiet -r requirements-dashboard.txt -c requirements.txt
	touch $@

setup-dashboard: $(VENV)/.installed-dashboard

# The dashboard reads the export, so a build must have written it.
dashboard-exports:
	@if [ ! -f "$(MARTS_EXPORT_DIR)/manifest.json" ]; then \
		echo "dashboard: no mart export in $(MARTS_EXPORT_DIR) ($(MARTS_EXPORT_DIR)/manifest.json is missing): run 'make build' (or 'make demo') first" >&2; \
		exit 1; \
	fi

dashboard: setup-dashboard dashboard-exports
	CHARGEBACK_EXPORT_DIR="$(MARTS_EXPORT_DIR)" $(VENV)/bin/streamlit run dashboard/app.py $(DASHBOARD_FLAGS)

# Debian's Chromium (installed when missing, as root); the test starts its own server on a free
# port and fails, never skips, without the export, Playwright or Chromium.
test-dashboard: setup-dashboard dashboard-exports
	scripts/ensure-chromium.sh
	CHARGEBACK_EXPORT_DIR="$(MARTS_EXPORT_DIR)" $(VENV)/bin/pytest -m dashboard pytests/test_dashboard.py
