"""Sentence-level BM25 (bm25s) over stemmed terms; the document title is added to each sentence."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..schema import Sentence
from ..text.terms import terms


class BM25Index:
    def __init__(self, sentences: Sequence[Sentence], titles: dict[str, str] | None = None) -> None:
        import bm25s

        titles = titles or {}
        self.ids = [s.id for s in sentences]
        self.doc_of = np.array([s.doc_id for s in sentences], dtype=object)
        self._retriever = None
        self.idf: dict[str, float] = {}
        if sentences:
            corpus = [terms(s.text) + terms(titles.get(s.doc_id, "")) for s in sentences]
            self._retriever = bm25s.BM25()
            self._retriever.index(corpus, show_progress=False)
            df: dict[str, int] = {}
            for doc_terms in corpus:
                for t in set(doc_terms):
                    df[t] = df.get(t, 0) + 1
            n = len(corpus)
            self.idf = {t: float(np.log(1 + (n - c + 0.5) / (c + 0.5))) for t, c in df.items()}
        self.max_idf = float(np.log(1 + (len(sentences) + 0.5) / 0.5))

    def term_weight(self, term: str) -> float:
        """IDF; a term the corpus never uses weighs most, so a question about it stays unanswered."""
        return self.idf.get(term, self.max_idf)

    def scores(self, query: str) -> np.ndarray:
        if self._retriever is None:
            return np.zeros(0, dtype=np.float32)
        q = [t for t in terms(query) if t in self._retriever.vocab_dict]
        if not q:
            return np.zeros(len(self.ids), dtype=np.float32)
        return self._retriever.get_scores(q)

    def search(self, query: str, k: int, doc_ids: Sequence[str] | None = None) -> list[tuple[str, float]]:
        scores = self.scores(query)
        if not len(scores):
            return []
        if doc_ids is not None:
            scores = np.where(np.isin(self.doc_of, list(doc_ids)), scores, 0.0)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]
