# The two commands: `make run` (the site on http://127.0.0.1:8000) and `make test` (the suite).
# Each creates .venv with whichever `python3` you have (3.11 to 3.13; PYTHON=python3.13 picks another) and installs
# exactly what the lock files pin, checked by hash. `make lock` refreshes the locks on purpose.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The stamp names the lock and the Python it was installed for: a new lock or another Python rebuilds the venv.
PY_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
STAMP := $(VENV)/.installed-$(PY_VERSION)
# What `make lock` writes, from pyproject.toml's ranges (and its build requirement, so the project installs offline).
LOCK_RUNTIME := requirements.lock
LOCK_DEV := requirements-dev.lock
LOCK_BENCH := requirements-bench.lock
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml - --universal --python-version 3.11 --generate-hashes --quiet \
	--custom-compile-command "make lock" --upgrade

.PHONY: install run demo-reset screenshots test lint format worker beat lock bench-deps css

$(STAMP): $(LOCK_DEV)
	@test -n "$(PY_VERSION)" || { echo "$(PYTHON) not found: install Python 3.11 to 3.13, or set PYTHON=" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' \
		|| { echo "$(PYTHON) is $(PY_VERSION); cohort_site needs Python 3.11 to 3.13 (set PYTHON=)" >&2; exit 1; }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --only-binary :all: -r $(LOCK_DEV)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

run: export DEBUG ?= 1
run: $(STAMP)
	$(BIN)/python manage.py devserver

# Start the demo over (DEBUG databases only): every row deleted, the demo seeded afresh; then `make run`.
demo-reset: export DEBUG ?= 1
demo-reset: $(STAMP)
	$(BIN)/python manage.py demo_reset

# Spread over the cores (at most 8: each worker takes the next Redis database after REDIS_URL's); 0 for one process.
# A file's tests stay on one worker, so its module fixtures are built once.
PYTEST_WORKERS ?= auto
test: $(STAMP)
	$(BIN)/pytest -n $(PYTEST_WORKERS) --maxprocesses 8 --dist loadfile $(PYTEST_ARGS)

# The README's screenshots, taken from the seeded demo in Chromium (commit them with the template change).
screenshots: $(STAMP)
	UPDATE_SCREENSHOTS=1 $(BIN)/pytest -q tests/browser/test_readme_screenshots.py

# Bootstrap's CSS trimmed to the classes our templates, scripts and forms use (tools/trim_bootstrap.py); commit
# static/vendor/bootstrap/bootstrap.min.css after changing a template's classes (tests/core/test_trimmed_css.py).
css: $(STAMP)
	$(BIN)/python tools/trim_bootstrap.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --check --quiet

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint templates --reformat --quiet

worker: $(STAMP)
	$(BIN)/celery -A cohort_site worker --loglevel=INFO

beat: $(STAMP)
	$(BIN)/celery -A cohort_site beat --loglevel=INFO

# Deliberate upgrades: resolve pyproject.toml's ranges afresh for Python 3.11 to 3.13, then commit the locks.
# Each lock is constrained by the one before it, so a package has the same version in all three.
lock: $(STAMP)
	$(BIN)/python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")' > $(VENV)/build-requires.in
	$(UV_COMPILE) -o $(LOCK_RUNTIME) < $(VENV)/build-requires.in
	$(UV_COMPILE) --extra dev -c $(LOCK_RUNTIME) -o $(LOCK_DEV) < $(VENV)/build-requires.in
	$(UV_COMPILE) --extra dev --extra bench -c $(LOCK_DEV) -o $(LOCK_BENCH) < $(VENV)/build-requires.in

# The load benchmark's extra (locust), from its own lock.
bench-deps: $(STAMP)
	$(BIN)/python -m pip install --quiet --require-hashes --only-binary :all: -r $(LOCK_BENCH)
