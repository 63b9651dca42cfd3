"""In-memory view of what the store holds: documents, sentences and the lexical index over them.

BM25 needs the whole corpus in memory; building it from the store keeps Chroma the single source
of truth (the same code path for the embedded store and a server). Writes only mark the view
stale; it is rebuilt once on the next read, so ingesting many files costs one rebuild.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from ..errors import DocumentNotFoundError
from ..retrievers.bm25 import BM25Index
from ..schema import Document, Passage, Sentence
from ..text.terms import indexed_terms
from .base import SentenceStore


@dataclass(frozen=True)
class Snapshot:
    docs: dict[str, Document]
    sentences: list[Sentence]
    by_id: dict[str, Sentence]
    by_doc: dict[str, list[Sentence]]
    terms_of: dict[str, frozenset[str]]     # sentence id -> its content terms
    doc_terms: dict[str, frozenset[str]]    # document id -> its vocabulary
    all_terms: frozenset[str]
    bm25: BM25Index
    passages: list[Passage]
    passage_vectors: np.ndarray              # one row per passage
    passage_of: dict[str, int]               # sentence id -> row of its passage
    passage_doc: np.ndarray                  # document id of each row
    window_vectors: np.ndarray               # one row per window of a long sentence
    window_rows: dict[str, tuple[int, int]]  # sentence id -> its windows' rows (a range)

    @classmethod
    def build(cls, store: SentenceStore) -> "Snapshot":
        docs = {d.id: d for d in store.documents()}
        sentences = store.sentences()
        by_doc: dict[str, list[Sentence]] = {}
        for s in sentences:
            by_doc.setdefault(s.doc_id, []).append(s)
        terms_of = {s.id: frozenset(indexed_terms(s.text)) for s in sentences}
        doc_terms = {d: frozenset().union(*(terms_of[s.id] for s in ss)) for d, ss in by_doc.items()}
        passages, vectors = store.passages()
        passage_of = {f"{p.doc_id}::{i}": row for row, p in enumerate(passages) for i in range(p.first, p.last + 1)}
        windows, window_vectors = store.windows()
        window_rows: dict[str, tuple[int, int]] = {}
        for row, w in enumerate(windows):     # in document order: a sentence's windows are adjacent
            start, _ = window_rows.get(f"{w.doc_id}::{w.first}", (row, row))
            window_rows[f"{w.doc_id}::{w.first}"] = (start, row + 1)
        return cls(docs=docs, sentences=sentences, by_id={s.id: s for s in sentences}, by_doc=by_doc,
                   terms_of=terms_of, doc_terms=doc_terms, all_terms=frozenset().union(*doc_terms.values()),
                   bm25=BM25Index(sentences, {d.id: d.title for d in docs.values()}),
                   passages=passages, passage_vectors=vectors, passage_of=passage_of,
                   passage_doc=np.array([p.doc_id for p in passages], dtype=object),
                   window_vectors=window_vectors, window_rows=window_rows)


class Catalog:
    def __init__(self, store: SentenceStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._generation = 0     # bumped by every write; a snapshot built across one is not kept

    def invalidate(self) -> None:
        self._generation += 1
        self._snapshot = None

    @property
    def current(self) -> Snapshot:
        changed = getattr(self.store, "changed", None)
        if changed is not None and changed():   # another process (or thread) wrote to the index
            self.invalidate()
        snapshot = self._snapshot
        if snapshot is None:
            with self._lock:
                snapshot = self._snapshot
                if snapshot is None:
                    generation = self._generation
                    snapshot = Snapshot.build(self.store)
                    # A write during the build may be missing from it: use it once, do not keep it.
                    if generation == self._generation:
                        self._snapshot = snapshot
        return snapshot

    # shortcuts to the current snapshot
    docs = property(lambda self: self.current.docs)
    sentences = property(lambda self: self.current.sentences)
    by_id = property(lambda self: self.current.by_id)
    by_doc = property(lambda self: self.current.by_doc)
    bm25 = property(lambda self: self.current.bm25)

    def document(self, doc_id: str) -> Document:
        try:
            return self.docs[doc_id]
        except KeyError:
            raise DocumentNotFoundError(f"no document with id {doc_id!r}") from None

    def sentence_terms(self, sentence_id: str) -> frozenset[str]:
        return self.current.terms_of.get(sentence_id, frozenset())

    def vocabulary(self, doc_ids=None) -> frozenset[str]:
        snapshot = self.current
        if doc_ids is None:
            return snapshot.all_terms
        return frozenset().union(*(snapshot.doc_terms.get(d, frozenset()) for d in doc_ids))

    def passage_scorer(self, query_vector: np.ndarray):
        """A function: sentence id -> cosine of the query with the sentence's passage."""
        snapshot = self.current
        scores = snapshot.passage_vectors @ query_vector if len(snapshot.passages) else np.zeros(0)
        return lambda sid: float(scores[snapshot.passage_of[sid]]) if sid in snapshot.passage_of else 0.0

    def window_scorer(self, query_vector: np.ndarray):
        """A function: sentence id -> cosine of the query with the sentence's best window, None for
        a sentence too short to have windows. Windows only rescore candidates: as a third list in the
        fusion they crowded out lexical hits (XQuAD top-1 0.771 against 0.808)."""
        snapshot = self.current

        def best(sid: str) -> float | None:
            rows = snapshot.window_rows.get(sid)
            return float((snapshot.window_vectors[rows[0]:rows[1]] @ query_vector).max()) if rows else None
        return best

    def neighbours(self, sentence: Sentence, before: int = 1, after: int = 0) -> list[Sentence]:
        doc = self.by_doc.get(sentence.doc_id, [])
        return doc[max(0, sentence.index - before): sentence.index + after + 1]
