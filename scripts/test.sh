#!/usr/bin/env bash
# Set up (if needed) and run everything that guards Wegwijs: the test suite (unit, real-corpus
# ranking, API and the headless-browser test), then the evaluation with its CI thresholds.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export WEGWIJS_DATA_DIR="${WEGWIJS_DATA_DIR:-$PWD/.wegwijs}"
.venv/bin/python -m pytest -q "$@"
.venv/bin/python -m evals run --check --out evals/reports/latest
# the held-out set, never tuned on: does what the question set measures generalise?
.venv/bin/python -m evals run --check --no-baselines --questions evals/heldout.jsonl \
    --thresholds evals/thresholds-heldout.json --out evals/reports/heldout
# documents Wegwijs was not built on, dropped in as a region would (originals, no manifest, no inventory)
.venv/bin/python -m evals run --check --external ../shared/external-dev \
    --thresholds evals/thresholds-external.json --out evals/reports/external
