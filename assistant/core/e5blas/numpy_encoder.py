"""The e5-small encoder's weights as numpy arrays, and a numpy forward pass for one short text.

:func:`load_weights` dequantises the Q4_0 matrices of the bundled file once to fp32 (exactly,
:func:`~assistant.core.e5blas.weights.dequantise`); the torch encoder
(:class:`~assistant.core.e5blas.encoder.E5Encoder`) builds its layers from them.

:class:`NumpyEncoder` runs one window (a question: ``<s> query: ... </s>``) through the same
twelve post-LN layers with numpy's BLAS, so a process that only answers questions never imports
torch (2-3 s of start-up). Every step is the torch encoder's in fp32; the one difference is the
GELU's ``erf``, which numpy lacks: Abramowitz & Stegun 7.1.26 (absolute error at most 1.5e-7, the
size of fp32 rounding). On the 147 calibration questions the vectors agree with the torch
encoder's to cosine 0.9999998 or closer.

Example::

    enc = NumpyEncoder(load_weights(read_image()))
    state = enc.pool_one([0, 1294, 2])  # mean of the final hidden states, not normalised
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.core.e5blas.weights import E5Config, E5Image, dequantise

_SQRT_HALF = np.float32(0.7071067811865476)
# Abramowitz & Stegun 7.1.26: erf(z) = 1 - (a1 t + ... + a5 t^5) exp(-z^2), t = 1 / (1 + p z), z >= 0
_ERF_P = np.float32(0.3275911)
_ERF_A = tuple(np.float32(a) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592))


@dataclass
class LayerWeights:
    """One encoder layer in fp32. Matrices are [in, out], contiguous, so a product is ``x @ w``:
    a question's few rows against weights streamed from memory run about a quarter faster than
    against the file's [out, in] order (query, key and value are one matrix)."""

    qkv_w: np.ndarray
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_w: np.ndarray
    ln1_b: np.ndarray
    up_w: np.ndarray
    up_b: np.ndarray
    down_w: np.ndarray
    down_b: np.ndarray
    ln2_w: np.ndarray
    ln2_b: np.ndarray


@dataclass
class EncoderWeights:
    """Everything the forward pass reads: the 4-bit word table (rows expanded per use), the
    position and type embeddings, the embedding LayerNorm and the layers."""

    config: E5Config
    word_blocks: np.ndarray
    pos: np.ndarray  # [max_positions, H]
    type0: np.ndarray  # [H]
    emb_ln_w: np.ndarray
    emb_ln_b: np.ndarray
    layers: list[LayerWeights]

    def embed_tokens(self, ids: np.ndarray) -> np.ndarray:
        """Word + position (from 0) + type-0 embeddings of ``ids`` [..., L], before the LayerNorm."""
        H = self.config.hidden
        words = dequantise(self.word_blocks[ids.reshape(-1)]).reshape(*ids.shape, H)
        return words + self.pos[: ids.shape[-1]] + self.type0


def load_weights(image: E5Image) -> EncoderWeights:
    """The encoder's weights from a parsed model file (the word table stays 4-bit)."""
    cfg = image.config
    H, FF = cfg.hidden, cfg.ffn

    def layer(i: int) -> LayerWeights:
        def mat(name: str, rows: int) -> np.ndarray:
            return np.ascontiguousarray(image.matrix(f"l{i}.{name}.w", rows).T)

        def vec(name: str) -> np.ndarray:
            return image.vector(f"l{i}.{name}")

        return LayerWeights(
            qkv_w=np.concatenate([mat("q", H), mat("k", H), mat("v", H)], axis=1),
            qkv_b=np.concatenate([vec("q.b"), vec("k.b"), vec("v.b")]),
            out_w=mat("ao", H), out_b=vec("ao.b"), ln1_w=vec("aln.w"), ln1_b=vec("aln.b"),
            up_w=mat("fi", FF), up_b=vec("fi.b"), down_w=mat("fo", H), down_b=vec("fo.b"),
            ln2_w=vec("oln.w"), ln2_b=vec("oln.b"))

    return EncoderWeights(config=cfg, word_blocks=image.q4_blocks("emb.word", cfg.vocab),
                          pos=image.vector("emb.pos").reshape(cfg.max_positions, H),
                          type0=image.vector("emb.type")[:H], emb_ln_w=image.vector("emb.ln.w"),
                          emb_ln_b=image.vector("emb.ln.b"), layers=[layer(i) for i in range(cfg.layers)])


def gelu(x: np.ndarray) -> np.ndarray:
    """``x * (1 + erf(x / sqrt 2)) / 2`` with erf by Abramowitz & Stegun 7.1.26 (in place on
    temporaries: a question's feed-forward activations are 25 x 1536 values, twelve times)."""
    z = np.abs(x)
    z *= _SQRT_HALF
    t = z * _ERF_P
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    out = t * _ERF_A[0]
    for a in _ERF_A[1:]:
        out += a
        out *= t
    z *= z
    np.negative(z, out=z)
    np.exp(z, out=z)
    out *= z  # 1 - erf(|x| / sqrt 2)
    np.subtract(np.float32(1.0), out, out=out)
    np.copysign(out, x, out=out)  # erf(x / sqrt 2)
    out += np.float32(1.0)
    out *= np.float32(0.5)
    out *= x
    return out


def layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(var + np.float32(eps)) * w + b


class NumpyEncoder:
    """One window of ids -> the mean of its final hidden states (not normalised), in numpy."""

    def __init__(self, weights: EncoderWeights) -> None:
        self.weights = weights
        self.config = weights.config

    def pool_one(self, ids: list[int]) -> np.ndarray:
        cfg, w = self.config, self.weights
        H, nh = cfg.hidden, cfg.heads
        dh = H // nh
        L = len(ids)
        x = layer_norm(w.embed_tokens(np.asarray(ids, dtype=np.int64)), w.emb_ln_w, w.emb_ln_b, cfg.eps)
        scale = np.float32(1.0 / np.sqrt(dh))
        for ly in w.layers:
            qkv = x @ ly.qkv_w
            qkv += ly.qkv_b
            q, k, v = qkv.reshape(L, 3, nh, dh).transpose(1, 2, 0, 3)  # each [heads, L, dh]
            scores = (q @ k.transpose(0, 2, 1)) * scale
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            ctx = (scores @ v).transpose(1, 0, 2).reshape(L, H)
            out = ctx @ ly.out_w
            out += ly.out_b
            out += x
            x = layer_norm(out, ly.ln1_w, ly.ln1_b, cfg.eps)
            mid = x @ ly.up_w
            mid += ly.up_b
            out = gelu(mid) @ ly.down_w
            out += ly.down_b
            out += x
            x = layer_norm(out, ly.ln2_w, ly.ln2_b, cfg.eps)
        return x.mean(axis=0)
