"""scripts/join_gguf.py: the bundled GGUF joined from its pieces once, checked, never half-written."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location("join_gguf", Path(__file__).resolve().parents[2] / "scripts"
                                               / "join_gguf.py")
join_gguf = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(join_gguf)


def _parts(tmp_path: Path, head: bytes = b"GGUF") -> list[Path]:
    pieces = [head + b"\x03\x00" + b"a" * 1000, b"b" * 777, b"c" * 5]
    paths = []
    for i, data in enumerate(pieces, start=1):
        path = tmp_path / f"part{i:02d}.bin"
        path.write_bytes(data)
        paths.append(path)
    return paths


def test_the_pieces_are_joined_in_order_and_the_checksum_recorded(tmp_path):
    parts = _parts(tmp_path)
    whole = b"".join(p.read_bytes() for p in parts)
    target = join_gguf.join(parts, tmp_path / "models" / "m.gguf", hashlib.sha256(whole).hexdigest())
    assert target.read_bytes() == whole
    assert (tmp_path / "models" / "m.gguf.sha256").read_text().strip() == hashlib.sha256(whole).hexdigest()
    assert not (tmp_path / "models" / "m.gguf.part").exists()


def test_a_finished_join_is_left_alone_and_a_truncated_one_redone(tmp_path):
    parts = _parts(tmp_path)
    target = join_gguf.join(parts, tmp_path / "m.gguf")
    stamp = target.stat().st_mtime_ns
    assert join_gguf.join(parts, target).stat().st_mtime_ns == stamp
    target.write_bytes(target.read_bytes()[:100])
    assert join_gguf.join(parts, target).read_bytes() == b"".join(p.read_bytes() for p in parts)


def test_a_wrong_checksum_or_no_gguf_header_leaves_no_model(tmp_path):
    with pytest.raises(join_gguf.JoinError, match="Controlegetal"):
        join_gguf.join(_parts(tmp_path), tmp_path / "m.gguf", "0" * 64)
    assert not (tmp_path / "m.gguf").exists() and not (tmp_path / "m.gguf.part").exists()
    with pytest.raises(join_gguf.JoinError, match="GGUF"):
        join_gguf.join(_parts(tmp_path, head=b"ZIPF"), tmp_path / "n.gguf")
    assert not (tmp_path / "n.gguf").exists()


def test_a_missing_package_is_named_in_dutch():
    with pytest.raises(join_gguf.JoinError, match="Pakket wegwijs-geen-deel-1 ontbreekt"):
        join_gguf.part_paths(parts=1, package="wegwijs_geen_deel_{}")
