"""What the CPU can do, asked without importing torch."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

BF16_FLAGS = frozenset({"avx512_bf16", "amx_bf16"})  # bf16 dot products in hardware (x86)


@lru_cache(maxsize=1)
def bf16_is_fast() -> bool:
    """Whether this CPU multiplies bfloat16 in hardware (AVX512-BF16 or AMX); elsewhere bf16
    products are emulated and slower than fp32. Read from the CPU flags on Linux, so a process
    that only answers questions need not import torch to know; elsewhere as oneDNN sees it."""
    flags = cpu_flags()
    if flags is not None:
        return bool(flags & BF16_FLAGS)
    try:
        import torch

        return bool(torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (ImportError, AttributeError, RuntimeError):
        return False


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> frozenset[str] | None:
    """The flags of the first CPU in ``cpuinfo`` (None where there is no such file, or no flags line)."""
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("flags", "Features"):
            return frozenset(value.split())
    return None
