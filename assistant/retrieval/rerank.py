"""Optional reranking of the fused candidates by a cross-encoder from a local model folder.

No reranker ships with Wegwijs (none with bundled weights exists offline); a deployment that has
one points ``WEGWIJS_RERANKER_MODEL_PATH`` at its folder.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


class CrossEncoderReranker:
    """A sentence-transformers CrossEncoder from a local folder, loaded on first use."""

    def __init__(self, model_path: Path) -> None:
        self.model_path = Path(model_path)
        self._model = None

    def scores(self, query: str, passages: list[str]) -> np.ndarray:
        if self._model is None:
            from sentence_transformers import CrossEncoder

            self._model = CrossEncoder(str(self.model_path), device="cpu", local_files_only=True)
        return np.asarray(self._model.predict([(query, p) for p in passages]), dtype=np.float32)
