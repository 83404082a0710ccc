# bioplan — the two commands: `make demo` and `make test`. Everything else is a helper of those.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install demo serve test lint typecheck messages bench guide clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q -U pip setuptools wheel
	$(BIN)/pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

var/secret_key:
	mkdir -p var
	$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
	chmod 600 var/secret_key

# Sets up and runs the demo on an embedded SQLite database under var/: demo data, then the web server and
# the background worker together (`bioplan serve`; Ctrl-C stops both). Running it again keeps the data.
demo: $(STAMP) var/secret_key
	SECRET_KEY="$$(cat var/secret_key)" $(BIN)/bioplan manage migrate --no-input -v 0
	SECRET_KEY="$$(cat var/secret_key)" $(BIN)/bioplan manage collectstatic --no-input -v 0
	SECRET_KEY="$$(cat var/secret_key)" $(BIN)/bioplan demo
	@echo ""
	@echo "bioplan demo: http://$(HOST):$(PORT)/   (Ctrl-C stops the web server and the worker)"
	SECRET_KEY="$$(cat var/secret_key)" $(BIN)/bioplan serve --host $(HOST) --port $(PORT)

# Serves an existing database (migrations applied first; no demo data loaded), web server and worker.
serve: $(STAMP) var/secret_key
	SECRET_KEY="$$(cat var/secret_key)" $(BIN)/bioplan manage migrate --no-input -v 0
	SECRET_KEY="$$(cat var/secret_key)" $(BIN)/bioplan manage collectstatic --no-input -v 0
	@echo "bioplan: http://$(HOST):$(PORT)/   (Ctrl-C stops the web server and the worker)"
	SECRET_KEY="$$(cat var/secret_key)" $(BIN)/bioplan serve --host $(HOST) --port $(PORT)

# Sets up (virtualenv, dependencies) and runs every check: ruff, mypy, pytest.
# -rs lists why tests were skipped (the browser tests, when chromium is not installed).
test: $(STAMP) lint typecheck
	BIOPLAN_TESTING=1 $(BIN)/pytest -rs $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

messages: $(STAMP)
	cd src/bioplan && for app in web core plans tracking audit; do \
	  [ -d $$app/locale ] && (cd $$app && DJANGO_SETTINGS_MODULE=bioplan.settings_test ../../../$(BIN)/django-admin compilemessages -v 0); done; true

# Regenerates the user guide's screenshots (docs/user-guide/img/) from the browser walk of every role.
guide: $(STAMP)
	BIOPLAN_TESTING=1 BIOPLAN_GUIDE_SCREENSHOTS=1 $(BIN)/pytest -q tests/browser/test_user_guide.py

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var/static .pytest_cache .mypy_cache .ruff_cache
