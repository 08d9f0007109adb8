"""The numpy pass for questions: the torch encoder's vectors without importing torch."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.core.e5blas.cpu import BF16_FLAGS, cpu_flags
from assistant.core.e5blas.numpy_encoder import gelu, layer_norm

ROOT = Path(__file__).resolve().parents[4]
QUESTIONS = ["wie is verantwoordelijk voor de doorbraakaanpak?", "wat is een OPP?",
             "mijn leerling zit thuis, wie bel ik bij de gemeente", "hoeveel thuiszitters waren er in 2023?"]


def test_gelu_follows_the_exact_erf_to_fp32_rounding():
    x = np.linspace(-9, 9, 20001, dtype=np.float32)
    exact = np.array([v * 0.5 * (1 + math.erf(v / math.sqrt(2))) for v in x.astype(np.float64)])
    got = gelu(x.copy())
    assert got.dtype == np.float32
    assert np.abs(got - exact).max() < 1e-6
    assert np.array_equal(gelu(x.copy()), got)  # nothing of the input is used up in place


def test_layer_norm_centres_and_scales_every_row():
    rows = np.random.default_rng(0).normal(3, 5, (4, 384)).astype(np.float32)
    out = layer_norm(rows, np.ones(384, np.float32), np.zeros(384, np.float32), 1e-12)
    assert np.allclose(out.mean(axis=1), 0, atol=1e-5) and np.allclose(out.std(axis=1), 1, atol=1e-4)


def test_cpu_flags_are_read_from_cpuinfo(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nflags\t\t: fpu sse avx2 fma avx512_bf16\n\nprocessor\t: 1\nflags\t: fpu\n")
    assert cpu_flags(info) == {"fpu", "sse", "avx2", "fma", "avx512_bf16"} and cpu_flags(info) & BF16_FLAGS
    (tmp_path / "plain").write_text("processor\t: 0\nflags\t\t: fpu sse avx2 fma\n")
    assert not cpu_flags(tmp_path / "plain") & BF16_FLAGS
    assert cpu_flags(tmp_path / "missing") is None


@pytest.mark.slow  # loads the model twice and imports torch
def test_numpy_questions_match_the_torch_encoder():
    from assistant.core.e5blas.embeddings import E5BlasEmbeddings

    numpy_engine = E5BlasEmbeddings(query_engine="blas", query_cache=0)
    torch_engine = E5BlasEmbeddings(query_engine="torch", query_cache=0)
    for question in QUESTIONS:
        a, b = numpy_engine.embed_query_array(question), torch_engine.embed_query_array(question)
        assert a.dtype == np.float32 and a.shape == (384,) and np.isclose(np.linalg.norm(a), 1.0, atol=1e-5)
        assert float(a @ b) > 0.99999, question
    assert numpy_engine._model is None  # the torch encoder was never loaded for numpy's questions
    long = "Welke afspraken gelden er voor thuiszitters? " * 80  # more than one window of 510 tokens
    assert float(numpy_engine.embed_query_array(long) @ torch_engine.embed_query_array(long)) > 0.99999


@pytest.mark.slow  # a fresh interpreter loading the model
def test_a_process_that_only_embeds_questions_never_imports_torch():
    code = ("import sys; from assistant.core.e5blas.embeddings import E5BlasEmbeddings; "
            "v = E5BlasEmbeddings(query_engine='blas').embed_query_array('wat is een kernteam?'); "
            "print(v.shape[0], 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}).stdout.split()
    assert out == ["384", "False"]
