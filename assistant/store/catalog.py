"""In-memory view of what the store holds: documents, sentences and the lexical index over them.

BM25 needs the whole corpus in memory; building it from the store keeps Chroma the single source
of truth (the same code path for the embedded store and a server). The view is kept per document
and updated incrementally: a rebuild reads back only documents whose key in the store changed
(written by this process or another). It is also saved to a file (`catalog.pkl` in the index
directory) after it changes, so a new process loads it, checks it against the store's keys and
answers in seconds whatever the size of the index.
"""
from __future__ import annotations

import atexit
import logging
import os
import pickle
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import DocumentNotFoundError
from ..retrievers.bm25 import BM25Index
from ..schema import Document, Passage, Sentence
from ..text.terms import indexed_terms
from .base import SentenceStore, StoredDocument

log = logging.getLogger(__name__)
FORMAT = 1      # bump when Snapshot or StoredDocument change shape: older files are ignored


@dataclass(frozen=True)
class Part:
    """One document as the catalog keeps it: its stored rows and each sentence's indexed terms."""

    stored: StoredDocument
    terms: list[list[str]]

    @classmethod
    def of(cls, stored: StoredDocument) -> "Part":
        return cls(stored, [indexed_terms(s.text) for s in stored.sentences])


def _stack(blocks: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(blocks) if blocks else np.zeros((0, 384), dtype=np.float32)


@dataclass(frozen=True)
class Snapshot:
    parts: dict[str, Part]                   # document id -> its part, in id order
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
    def build(cls, store: SentenceStore, previous: "Snapshot | None" = None) -> tuple["Snapshot", int]:
        """The store's current content, reusing the parts of `previous` whose key is unchanged;
        and how many documents were read back."""
        keys = store.versions()
        old = previous.parts if previous is not None else {}
        kept = {d: p for d, p in old.items() if keys.get(d) == p.stored.key}
        if previous is not None and len(kept) == len(old) == len(keys):
            return previous, 0
        missing = [d for d in keys if d not in kept]
        fetched = {s.doc.id: Part.of(s) for s in store.stored_documents(missing)} if missing else {}
        parts = {d: kept.get(d) or fetched[d] for d in sorted(keys) if d in kept or d in fetched}
        return cls.of_parts(parts), len(missing)

    @classmethod
    def of_parts(cls, parts: dict[str, Part]) -> "Snapshot":
        docs = {d: p.stored.doc for d, p in parts.items()}
        by_doc = {d: p.stored.sentences for d, p in parts.items() if p.stored.sentences}
        sentences = [s for p in parts.values() for s in p.stored.sentences]
        sentence_terms = [ts for p in parts.values() for ts in p.terms]
        terms_of = {s.id: frozenset(ts) for s, ts in zip(sentences, sentence_terms)}
        doc_terms = {d: frozenset().union(*(terms_of[s.id] for s in ss)) for d, ss in by_doc.items()}
        passages = [q for p in parts.values() for q in p.stored.passages]
        passage_of = {f"{q.doc_id}::{i}": row for row, q in enumerate(passages) for i in range(q.first, q.last + 1)}
        window_rows: dict[str, tuple[int, int]] = {}
        row = 0
        for p in parts.values():     # in document order: a sentence's windows are adjacent
            for w in p.stored.windows:
                start, _ = window_rows.get(f"{w.doc_id}::{w.first}", (row, row))
                window_rows[f"{w.doc_id}::{w.first}"] = (start, row + 1)
                row += 1
        return cls(parts=parts, docs=docs, sentences=sentences, by_id={s.id: s for s in sentences}, by_doc=by_doc,
                   terms_of=terms_of, doc_terms=doc_terms, all_terms=frozenset().union(*doc_terms.values()),
                   bm25=BM25Index(sentences, {d.id: d.title for d in docs.values()}, sentence_terms),
                   passages=passages, passage_vectors=_stack([p.stored.passage_vectors for p in parts.values()]),
                   passage_of=passage_of, passage_doc=np.array([q.doc_id for q in passages], dtype=object),
                   window_vectors=_stack([p.stored.window_vectors for p in parts.values()]), window_rows=window_rows)


class SnapshotFile:
    """The catalog saved between processes: written whole to a temporary file, then renamed, so a
    reader sees the old file or the new one; anything unreadable or of another format is ignored."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def load(self) -> Snapshot | None:
        try:
            with open(self.path, "rb") as f:
                saved = pickle.load(f)
            if saved.get("format") == FORMAT and isinstance(saved.get("snapshot"), Snapshot):
                return saved["snapshot"]
        except FileNotFoundError:
            return None
        except Exception as exc:    # damaged or from another version: rebuilt from the store
            log.warning("ignoring the saved catalog %s: %s", self.path, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return None

    def save(self, snapshot: Snapshot) -> None:
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            with open(tmp, "wb") as f:
                pickle.dump({"format": FORMAT, "snapshot": snapshot}, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError as exc:      # a read-only or full disk costs restart time, nothing else
            log.warning("could not save the catalog to %s: %s", self.path, exc)
            tmp.unlink(missing_ok=True)


class Catalog:
    """`cache`: where the catalog is saved for the next process (None: not saved). It is saved in
    the background when a rebuild read many documents back, else when the process ends or
    `persist()` is called: a stale file costs a new process only the documents changed since."""

    SAVE_AFTER = 50     # documents read back in one rebuild that make a save worth it at once

    def __init__(self, store: SentenceStore, cache: Path | None = None) -> None:
        self.store = store
        self.file = SnapshotFile(cache) if cache is not None else None
        if self.file is not None:
            _open_catalogs.add(self)
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._base: Snapshot | None = None       # the last snapshot: a rebuild reuses its parts
        self._loaded = False
        self._generation = 0     # bumped by every write; a snapshot built across one is not kept
        self._save_lock = threading.Lock()
        self._dirty = False      # a newer snapshot than the saved one, to save at exit
        self._unsaved: Snapshot | None = None
        self._saver: threading.Thread | None = None

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
                    snapshot = self._rebuild()
        return snapshot

    def _rebuild(self) -> Snapshot:
        if not self._loaded:
            self._loaded = True
            self._base = self.file.load() if self.file else None
        generation = self._generation
        snapshot, fetched = Snapshot.build(self.store, self._base)
        # A write during the build may be missing from it: use it once, do not keep it.
        if generation == self._generation:
            if snapshot is not self._base and self.file is not None:
                if fetched >= self.SAVE_AFTER:
                    self._save_later(snapshot)
                else:
                    self._dirty = True
            self._snapshot = self._base = snapshot
        return snapshot

    def _save_at_exit(self) -> None:
        if self._dirty and self._base is not None and self.file.path.parent.is_dir():
            self._save_later(self._base)
            self.persist()

    def _save_later(self, snapshot: Snapshot) -> None:
        """Save in a thread: the question that triggered the rebuild does not wait for it. Not a
        daemon: a process that ends right after answering still finishes the file."""
        if self.file is None:
            return
        with self._save_lock:
            self._unsaved = snapshot
            self._dirty = False
            if self._saver is None:
                self._saver = threading.Thread(target=self._save_pending, name="catalog-save")
                self._saver.start()

    def _save_pending(self) -> None:
        while True:
            with self._save_lock:
                snapshot, self._unsaved = self._unsaved, None
                if snapshot is None:
                    self._saver = None
                    return
            self.file.save(snapshot)

    def persist(self) -> None:
        """Bring the catalog up to date and wait until it is saved (after a bulk ingest)."""
        snapshot = self.current
        if self._dirty:
            self._save_later(snapshot)
        saver = self._saver
        if saver is not None:
            saver.join()


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


_open_catalogs: "weakref.WeakSet[Catalog]" = weakref.WeakSet()


@atexit.register
def _save_open_catalogs() -> None:
    for catalog in list(_open_catalogs):
        catalog._save_at_exit()
