# Two commands on a fresh machine: `make demo` (install, ingest the sample bank, show it)
# and `make test` (install, then the whole test suite). Everything goes into .venv.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_HOME ?= .coach-demo

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	INTERVIEW_COACH_HOME=$(DEMO_HOME) $(BIN)/coach ingest src/interview_coach/sample_bank
	INTERVIEW_COACH_HOME=$(DEMO_HOME) $(BIN)/coach stats
	INTERVIEW_COACH_HOME=$(DEMO_HOME) $(BIN)/coach list

test: install
	$(BIN)/lint-imports
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

bench: install
	$(BIN)/python bench/ingest_bench.py

clean:
	rm -rf $(VENV) $(DEMO_HOME) build *.egg-info
