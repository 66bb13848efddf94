# Two commands: `make run` (the Telegram bot with TELEGRAM_BOT_TOKEN set, else a console chat)
# and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two install stamps: what running needs (no torch), and what testing adds.
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
# sentence-transformers (the `st` extra: tested, optional at run time) needs torch: take the CPU build.
# Elsewhere set TORCH_INDEX="--index-url <your CPU wheel index>" to avoid a multi-GB CUDA build.
TORCH_SPEC ?= torch==2.13.0
TORCH_INDEX ?=
FAST := not index and not st and not processes
# one worker per core, whole files per worker (each builds the session's index once)
PARALLEL ?= -n auto --dist loadfile
# Bytecode is cached even where the environment turns caching off: without it every start
# compiles its 1,000 modules again (1.3 s of a 3 s cold start; each test worker likewise).
export PYTHONDONTWRITEBYTECODE :=

.PHONY: run test test-fast lint audit acts eval clean

# --no-compile: bytecode is written on first import, for the modules actually used (a third of the time)
$(RUN_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-compile -e .
	touch $(RUN_STAMP)

$(TEST_STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet $(TORCH_INDEX) "$(TORCH_SPEC)"
	$(BIN)/python -m pip install --quiet -e ".[dev,st,llm]"
	touch $(TEST_STAMP)

run: $(RUN_STAMP)
	$(BIN)/python -m bot run

# every test; the index is built once per session in a temporary data dir
test: $(TEST_STAMP)
	@$(BIN)/python -m pytest $(PARALLEL) $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing" >&2; fi; exit $$status

# the unit tests that need neither the index, torch nor a server (well under 30 s)
test-fast: $(TEST_STAMP)
	@$(BIN)/python -m pytest $(PARALLEL) -m "$(FAST)" $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing" >&2; fi; exit $$status

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/hadolint Dockerfile

# Known vulnerabilities of the installed dependencies (needs a machine that reaches the
# vulnerability database); the project itself is skipped, it is not on PyPI.
audit: $(TEST_STAMP)
	$(BIN)/pip-audit --skip-editable --progress-spinner off

acts: $(RUN_STAMP)
	$(BIN)/python -m ingest
	$(BIN)/python -m bot index

eval: $(RUN_STAMP)
	$(BIN)/python -m bot eval ../shared/eval/dev.jsonl

clean:
	rm -rf $(VENV) data
