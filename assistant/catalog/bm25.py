"""Sentence-level BM25 (bm25s) over stemmed terms; the document title is added to each sentence."""
from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Sequence

import numpy as np

from ..schema import Sentence
from ..text.terms import indexed_terms, terms


class BM25Index:
    def __init__(self, sentences: Sequence[Sentence], titles: dict[str, str] | None = None,
                 sentence_terms: Sequence[Sequence[str]] | None = None) -> None:
        """`sentence_terms`: each sentence's `indexed_terms`, when the caller has them already."""
        import bm25s

        titles = titles or {}
        title_terms = {d: terms(t) for d, t in titles.items()}
        self.ids = [s.id for s in sentences]
        self.doc_of = np.array([s.doc_id for s in sentences], dtype=object)
        self._retriever = None
        self.idf: dict[str, float] = {}
        if sentences:
            own = sentence_terms if sentence_terms is not None else [indexed_terms(s.text) for s in sentences]
            corpus = [list(ts) + title_terms.get(s.doc_id, []) for s, ts in zip(sentences, own)]
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

    def __getstate__(self) -> dict:     # the catalog is saved with pickle; a cache is not
        return {k: v for k, v in self.__dict__.items() if k != "correct"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
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
