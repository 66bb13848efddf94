# Two commands: `make run` (the Telegram bot with TELEGRAM_BOT_TOKEN set, else a console chat)
# and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# sentence-transformers (tested, optional at run time) needs torch: take the CPU build.
# Elsewhere set TORCH_INDEX="--index-url <your CPU wheel index>" to avoid a multi-GB CUDA build.
TORCH_SPEC ?= torch==2.13.0
TORCH_INDEX ?=

.PHONY: run test lint acts eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet $(TORCH_INDEX) "$(TORCH_SPEC)"
	$(BIN)/python -m pip install --quiet -e ".[dev,st,llm]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot run

test: $(STAMP)
	@$(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing" >&2; fi; exit $$status

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/hadolint Dockerfile

acts: $(STAMP)
	$(BIN)/python -m ingest
	$(BIN)/python -m bot index

eval: $(STAMP)
	$(BIN)/python -m bot eval ../shared/eval/dev.jsonl

clean:
	rm -rf $(VENV) data
