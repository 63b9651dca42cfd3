"""The storage seam: anything that keeps documents, sentence vectors and a little state."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

import numpy as np

from ..schema import Document, Passage, Sentence


@dataclass
class DocumentRows:
    """A document with what is stored for it: sentences, passages and windows, and their vectors."""

    doc: Document
    sentences: list[Sentence]
    sentence_vectors: np.ndarray
    passages: list[Passage]
    passage_vectors: np.ndarray
    windows: list[Passage]
    window_vectors: np.ndarray


class SentenceStore(Protocol):
    def replace_document(self, doc: Document, sentences: Sequence[Sentence], embeddings: np.ndarray,
                         passages: Sequence[Passage], passage_embeddings: np.ndarray,
                         windows: Sequence[Passage], window_embeddings: np.ndarray) -> None:
        """Store a document with its sentence, passage and window vectors, replacing any earlier
        version whole."""

    def replace_documents(self, batch: Sequence[DocumentRows]) -> None:
        """Store several documents; each whole (old version or new, never a mix)."""

    def delete_document(self, doc_id: str) -> None: ...

    def holds(self, doc: Document) -> bool:
        """Whether this exact content is stored under the document's id."""

    def documents(self) -> list[Document]: ...

    def sentences(self) -> list[Sentence]:
        """Every current sentence, in document order (feeds the lexical index)."""

    def sentence_vectors(self, doc_id: str) -> tuple[list[int], np.ndarray]:
        """Sentence numbers of one document and their vectors, in document order."""

    def passages(self) -> tuple[list[Passage], np.ndarray]:
        """Every current passage, in document order, and their vectors (one row each)."""

    def windows(self) -> tuple[list[Passage], np.ndarray]:
        """Every current window of a long sentence, in document order, and their vectors."""

    def search(self, embedding: np.ndarray, k: int,
               doc_ids: Sequence[str] | None = None) -> list[tuple[str, float]]:
        """(sentence id, cosine similarity), best first."""

    def changed(self) -> bool:
        """Whether the store was written since the last call (by any process); caches of the
        store itself are refreshed when it was."""

    def get_state(self, key: str) -> str | None: ...

    def set_state(self, key: str, value: str) -> None: ...
