# Two entry points for a fresh machine with only Python 3.11+:
#   make run   — create .venv, install qa-bot, start the console on the shipped knowledge
#   make test  — create .venv, install qa-bot with dev tools, run lint, types and tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-dev lint eval clean wheel-check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'

run: install
	$(BIN)/qa-bot repl

lint: install-dev
	$(BIN)/ruff check qa_bot tests benchmarks
	$(BIN)/ruff format --check qa_bot tests benchmarks
	$(BIN)/mypy qa_bot

test: lint
	$(BIN)/python -m pytest
	PYTHON=$(PYTHON) bash .ci/wheel-check

wheel-check:
	PYTHON=$(PYTHON) bash .ci/wheel-check

eval: install
	$(BIN)/qa-bot eval tests/questions/dev.yaml

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
