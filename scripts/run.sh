#!/usr/bin/env bash
# Set up (if needed) and start the web chat on the embedded default. On first start, when there
# is no index yet, the corpus is ingested first (a few minutes, with a progress bar).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/python -m assistant serve "$@"
