"""In-memory view of what the store holds: documents, sentences and the lexical index over them.

BM25 needs the whole corpus in memory; building it from the store keeps Chroma the single source
of truth (the same code path for the embedded store and a server).
"""
from __future__ import annotations

import threading

from ..errors import DocumentNotFoundError
from ..retrievers.bm25 import BM25Index
from ..schema import Document, Sentence
from ..text.terms import terms
from .base import SentenceStore


class Catalog:
    def __init__(self, store: SentenceStore) -> None:
        self.store = store
        self._lock = threading.RLock()
        self.refresh()

    def refresh(self) -> None:
        with self._lock:
            docs = {d.id: d for d in self.store.documents()}
            sentences = self.store.sentences()
            self.docs = docs
            self.sentences = sentences
            self.by_id = {s.id: s for s in sentences}
            self.by_doc: dict[str, list[Sentence]] = {}
            for s in sentences:
                self.by_doc.setdefault(s.doc_id, []).append(s)
            self.bm25 = BM25Index(sentences, {d.id: d.title for d in docs.values()})
            self.doc_terms = {doc_id: set().union(*(set(terms(s.text)) for s in doc_sentences))
                              for doc_id, doc_sentences in self.by_doc.items()}

    def document(self, doc_id: str) -> Document:
        try:
            return self.docs[doc_id]
        except KeyError:
            raise DocumentNotFoundError(f"no document with id {doc_id!r}") from None

    def vocabulary(self, doc_ids=None) -> set[str]:
        chosen = self.doc_terms.keys() if doc_ids is None else doc_ids
        return set().union(*(self.doc_terms.get(d, set()) for d in chosen))

    def neighbours(self, sentence: Sentence, before: int = 1, after: int = 0) -> list[Sentence]:
        doc = self.by_doc.get(sentence.doc_id, [])
        return doc[max(0, sentence.index - before): sentence.index + after + 1]
