"""Helpers shared by tests: small real-corpus copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

SMALL = ["zk-jeugdondersteuningsplan.txt", "haarlem-collegebesluit-jop-2022.md"]


def small_corpus(src: Path, dst: Path, files: list[str] = SMALL, inventories: bool = False) -> Path:
    """Copy ``files`` of the real corpus with their manifest entries (and optionally the
    inventories, which then index only the records of these documents) into ``dst``."""
    dst.mkdir(parents=True, exist_ok=True)
    manifest = yaml.safe_load((src / "manifest.yaml").read_text(encoding="utf-8"))
    manifest["documents"] = [d for d in manifest["documents"] if d["file"] in files]
    for name in files:
        shutil.copy(src / name, dst / name)
    (dst / "manifest.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    if inventories and (src / "inventories").is_dir():
        shutil.copytree(src / "inventories", dst / "inventories")
    return dst
