# `make demo` and `make test` each work as the first command on a fresh Debian/Ubuntu machine.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
ARGS   ?=

.PHONY: demo test check system-deps bench run clean

system-deps:
	@bash scripts/system-deps.sh

$(VENV)/.created: | system-deps
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	@touch $@

$(VENV)/.runtime: $(VENV)/.created pyproject.toml
	$(PY) -m pip install -q -e .
	@touch $@

$(VENV)/.test: $(VENV)/.runtime
	$(PY) -m pip install -q -e '.[test]'
	@touch $@

demo: system-deps $(VENV)/.runtime
	$(VENV)/bin/pos demo $(ARGS)

run: system-deps $(VENV)/.runtime
	$(VENV)/bin/pos $(ARGS)

check: $(VENV)/.test
	$(VENV)/bin/ruff check pos pos_backend tests bench tools
	$(VENV)/bin/mypy pos pos_backend
	$(VENV)/bin/lint-imports
	$(PY) tools/i18n.py --check

test: system-deps $(VENV)/.test check
	@bash scripts/system-deps.sh test
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest -q -p no:cacheprovider $(ARGS)

bench: $(VENV)/.test
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
