# The two commands a new user needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := DEBUG=True

.PHONY: run test install migrate demo messages lint format clean

$(BIN)/.installed: pyproject.toml requirements/constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements/constraints.txt -e ".[test]"
	touch $@

install: $(BIN)/.installed

## make run: install, migrate SQLite, load reference + demo data (2023 edition and its
## ~600 applications, an edition open for intake now), serve on 127.0.0.1:8000
run: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py seed_demo
	$(DEV_ENV) $(BIN)/python manage.py seed_intake --size 600 --seed 1
	$(DEV_ENV) $(BIN)/python manage.py seed_reviews --year 2023 --seed 1
	$(DEV_ENV) $(BIN)/python manage.py seed_practice
	$(DEV_ENV) $(BIN)/python manage.py seed_vote --year 2023 --seed 1
	$(DEV_ENV) $(BIN)/python manage.py seed_results --year 2023
	trap 'kill 0' INT TERM EXIT; \
	$(DEV_ENV) $(BIN)/python manage.py seal_votes --loop & \
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

## make test: ruff, then pytest (PostgreSQL + Chromium browser tests), see scripts/run_tests.py
test: install
	$(BIN)/python scripts/run_tests.py $(ARGS)

## make messages: refresh the RU/EN catalogues from the code and compile them
messages: install
	cd src/smartdialog && DEBUG=True ../../$(BIN)/python ../../manage.py makemessages -l ru -l en --no-location
	$(DEV_ENV) $(BIN)/python scripts/compile_messages.py

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

clean:
	rm -rf $(VENV) var
