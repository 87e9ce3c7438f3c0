# The two commands: `make run` (the site on http://127.0.0.1:8000) and `make test` (the suite).
# Each creates .venv and installs the project when it is missing or pyproject.toml changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint format worker beat check-deploy

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: export DEBUG ?= 1
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  Open http://127.0.0.1:8000 (admin: http://127.0.0.1:8000/admin/)."
	@echo "  Emails are printed in this terminal as they are sent."
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
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
