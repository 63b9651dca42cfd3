"""Sentence-level BM25 (bm25s) over stemmed terms; the document title is added to each sentence."""
from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Sequence

import numpy as np

from ..schema import Sentence
from ..text.terms import indexed_terms, terms


class BM25Index:
    def __init__(self, sentences: Sequence[Sentence], titles: dict[str, str] | None = None) -> None:
        import bm25s

        titles = titles or {}
        self.ids = [s.id for s in sentences]
        self.doc_of = np.array([s.doc_id for s in sentences], dtype=object)
        self._retriever = None
        self.idf: dict[str, float] = {}
        if sentences:
            corpus = [indexed_terms(s.text) + terms(titles.get(s.doc_id, "")) for s in sentences]
            self._retriever = bm25s.BM25()
            self._retriever.index(corpus, show_progress=False)
            df: dict[str, int] = {}
            for doc_terms in corpus:
                for t in set(doc_terms):
                    df[t] = df.get(t, 0) + 1
            n = len(corpus)
            self.idf = {t: float(np.log(1 + (n - c + 0.5) / (c + 0.5))) for t, c in df.items()}
        self.unknown_idf = float(np.mean(list(self.idf.values()))) if self.idf else 1.0
        self._by_initial: dict[str, list[str]] = {}
        for term in self.idf:
            self._by_initial.setdefault(term[0], []).append(term)
        self.correct = lru_cache(maxsize=20_000)(self._correct)

    def _correct(self, term: str) -> str:
        """A misspelt query word ("agis", "japn") becomes the corpus word it is closest to, when
        that word starts with the same letter and is nearly the same; other words stay as they are."""
        if term in self.idf or len(term) < 4 or term[0].isdigit():
            return term
        cutoff = 0.8 if len(term) >= 6 else 0.85   # a short word tolerates one slip, not two
        near = difflib.get_close_matches(term, self._by_initial.get(term[0], []), n=1, cutoff=cutoff)
        return near[0] if near else term

    def query_terms(self, query: str) -> list[str]:
        return [self.correct(t) for t in terms(query)]

    def term_weight(self, term: str) -> float:
        """IDF; a word the corpus never uses weighs as an average word (often a paraphrase: the
        unknown-noun check, not this weight, catches questions about what the corpus lacks)."""
        return self.idf.get(term, self.unknown_idf)

    def scores(self, query: str) -> np.ndarray:
        if self._retriever is None:
            return np.zeros(0, dtype=np.float32)
        q = [t for t in self.query_terms(query) if t in self._retriever.vocab_dict]
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
