# khabar — two commands on a fresh clone: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.khabar-installed
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_HOME ?= $(CURDIR)/.prefect
export GX_ANALYTICS_ENABLED := false

.PHONY: run test bench eval lint serve server clean fuzz train clusters

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "khabar needs Python 3.11 ($(PYTHON) not found)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	@# duckdb-cli's wheel ships DuckDB's shell (`khabar sql`) as a data script this pip installs without its x bit
	chmod +x $(VENV)/bin/duckdb
	@touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/khabar run --landing seeds/raw --warehouse warehouse

test: $(STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check flows transforms schemas tests scripts

bench: $(STAMP)
	$(PY) scripts/bench_components.py
	$(PY) scripts/bench.py
	$(PY) scripts/bench_big_article.py

# 10,000 seeded fuzzed inputs through the command line, 2,500 per run, each run checked and run again
fuzz: $(STAMP)
	$(PY) scripts/fuzz.py --count 10000 --per-run 2500 --seed 1

eval: $(STAMP) run
	$(PY) scripts/eval.py
	$(PY) scripts/train_ner.py --score
	$(PY) scripts/eval_dev.py --check

# The entity model (seeds/models/ner.npz), rebuilt byte for byte from ../shared/corpora/ner and the labels
train: $(STAMP)
	$(PY) scripts/train_ner.py

# The entity model's word classes (seeds/models/clusters.npz), rebuilt from the unlabelled text of
# ../shared/corpora/saudinewsnet-dev and ant-dev (a few minutes); `make train` afterwards to use new classes
clusters: $(STAMP)
	$(PY) scripts/build_clusters.py

serve: $(STAMP)
	$(VENV)/bin/khabar serve

# Prefect's server and UI, left running for the next commands (`.venv/bin/khabar server stop` stops it)
server: $(STAMP)
	$(VENV)/bin/khabar server start

clean:
	-@[ -x $(VENV)/bin/khabar ] && $(VENV)/bin/khabar server stop
	rm -rf warehouse/news.duckdb* warehouse/parquet warehouse/reports warehouse/quarantine warehouse/_staging .prefect .pytest_cache
