# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# where torch comes from: pip's own configuration by default; on a machine where that would be the
# multi-GB CUDA build, pass TORCH_INDEX=https://download.pytorch.org/whl/cpu
TORCH_INDEX ?=
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install demo test lint docs actors-score doc-score clean

$(BIN)/stance: pyproject.toml
	$(PY) -m venv $(VENV)
	# torch first and pinned, so that installing the rest does not pull another (CUDA) build
	$(BIN)/pip install --quiet torch==2.13.0 $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/stance

install: $(BIN)/stance

demo: install
	$(BIN)/stance annotate samples/ --target Alibaba --out out/demo.jsonl --force
	$(BIN)/stance show out/demo.jsonl

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check stance tests scripts

# the documentation site (MkDocs, Material, mkdocstrings), built into .cache/site; fails on any warning.
# MKDOCS=path/to/mkdocs uses an mkdocs installed elsewhere instead of installing the docs extra here
MKDOCS ?= $(BIN)/mkdocs
$(BIN)/mkdocs: $(BIN)/stance
	$(BIN)/pip install --quiet -e '.[docs]'

docs: $(MKDOCS)
	$(MKDOCS) build --strict

actors-score: install
	$(BIN)/stance actors-score corpora/platform-stance/articles

doc-score: install
	$(BIN)/stance doc-score corpora/platform-stance/articles

clean:
	rm -rf $(VENV) out .cache
