"""The storage seam: anything that keeps documents, sentence vectors and a little state."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

import numpy as np

from ..schema import Document, Passage, Sentence


EMPTY_VECTORS = np.zeros((0, 384), dtype=np.float32)
EMPTY_VECTORS.setflags(write=False)   # shared by every document without passages or windows


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


@dataclass
class StoredDocument:
    """What the catalog reads back for one document: its rows but the sentence vectors (those stay
    in the store, which searches them), and `key`, which changes whenever any of it changes."""

    doc: Document
    key: str
    sentences: list[Sentence]
    passages: list[Passage]
    passage_vectors: np.ndarray
    windows: list[Passage]
    window_vectors: np.ndarray


class SentenceStore(Protocol):
    def replace_documents(self, batch: Sequence[DocumentRows]) -> None:
        """Store several documents; each whole (old version or new, never a mix)."""

    def delete_document(self, doc_id: str) -> None: ...

    def holds(self, doc: Document) -> bool:
        """Whether this exact content is stored under the document's id."""

    def content_versions(self) -> dict[str, str]:
        """Document id -> the version of the content stored under it."""

    def sentence_vectors(self, doc_id: str) -> tuple[list[int], np.ndarray]:
        """Sentence numbers of one document and their vectors, in document order."""

    def versions(self) -> dict[str, str]:
        """Document id -> the key of its stored rows and metadata."""

    def stored_documents(self, doc_ids: Sequence[str]) -> list[StoredDocument]:
        """The current rows of these documents; an id not stored is left out."""

    def search(self, embedding: np.ndarray, k: int,
               doc_ids: Sequence[str] | None = None) -> list[tuple[str, float]]:
        """(sentence id, cosine similarity), best first."""

    def token(self) -> str:
        """A value that changes with every write to the store, by any process."""

    def changed(self) -> bool:
        """Whether the store was written since the last call (by any process); caches of the
        store itself are refreshed when it was."""

    def get_state(self, key: str) -> str | None: ...

    def set_state(self, key: str, value: str) -> None: ...
