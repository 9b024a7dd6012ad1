# Two commands on a fresh machine: `make demo` (install, ingest the sample bank, show it)
# and `make test` (install, then the whole test suite). Everything goes into .venv.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_HOME ?= .coach-demo
DEMO_PORT ?= 8000

.PHONY: install system-deps demo test test-sqlite lint bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian packages the web UI's browser tests drive: the system Chromium and its driver, and a
# CJK font so screenshots show Chinese. Skipped when both are already installed.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
system-deps:
	@if [ -x /usr/bin/chromium ] && [ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; then :; else \
		$(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium chromium-driver fonts-wqy-microhei; \
	fi

demo: install
	INTERVIEW_COACH_HOME=$(DEMO_HOME) $(BIN)/coach ingest src/interview_coach/sample_bank
	INTERVIEW_COACH_HOME=$(DEMO_HOME) $(BIN)/coach stats
	INTERVIEW_COACH_HOME=$(DEMO_HOME) $(BIN)/coach list
	@echo "Starting the web UI at http://127.0.0.1:$(DEMO_PORT)/ (Ctrl+C stops it)"
	INTERVIEW_COACH_HOME=$(DEMO_HOME) $(BIN)/coach serve --port $(DEMO_PORT)

# The suite runs twice: on SQLite files, then on PostgreSQL (each test in a fresh database made
# from a template and dropped; COACH_TEST_PG names the server, default the local one, trust auth).
COACH_TEST_PG ?= postgresql://postgres@127.0.0.1:5432

test: install system-deps
	$(BIN)/lint-imports
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src
	$(BIN)/pytest
	COACH_TEST_DB=$(COACH_TEST_PG) $(BIN)/pytest

test-sqlite: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

bench: install
	$(BIN)/python bench/ingest_bench.py

clean:
	rm -rf $(VENV) $(DEMO_HOME) build *.egg-info
