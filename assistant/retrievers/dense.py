"""Dense sentence search: MiniLM query vector against Chroma."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..store.base import SentenceStore
from ..runtimes.embedder import MiniLMEmbedder


class DenseRetriever:
    def __init__(self, store: SentenceStore, embedder: MiniLMEmbedder) -> None:
        self.store = store
        self.embedder = embedder

    def search_vector(self, vector: np.ndarray, k: int,
                      doc_ids: Sequence[str] | None = None) -> list[tuple[str, float]]:
        return self.store.search(vector, k, doc_ids)

    def search(self, query: str, k: int, doc_ids: Sequence[str] | None = None) -> list[tuple[str, float]]:
        return self.search_vector(self.embedder.encode_query(query), k, doc_ids)
