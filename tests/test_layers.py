"""The package graph of the code: no import cycle, no layer imported from below (scripts/package_graph.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_dependencies_point_one_way():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "package_graph.py"), "--check"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "== Cycles between packages\nnone" in result.stdout
    assert "== Layer breaches: 0" in result.stdout


def test_the_assistant_never_imports_ingest_ui_or_evals():
    """Only the console script (assistant/cli.py) knows every package."""
    offenders = []
    for path in (ROOT / "assistant").rglob("*.py"):
        if path.name in {"cli.py", "__main__.py"}:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith(("from ingest", "import ingest", "from ui", "import ui", "from evals",
                                    "import evals")):
                offenders.append(f"{path.relative_to(ROOT)}: {stripped}")
    assert not offenders, offenders
