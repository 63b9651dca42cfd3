"""In-memory view of what the store holds: documents, sentences and the lexical index over them.

BM25 needs the whole corpus in memory; building it from the store keeps Chroma the single source
of truth (the same code path for the embedded store and a server). The view is kept per document
and updated incrementally: a rebuild reads back only documents whose key in the store changed
(written by this process or another). It is also saved to a file (`catalog.pkl` in the index
directory) after it changes, so a new process loads it and reads back only what changed since,
instead of every row (at 100,000 sentences: a 1.5 s load against a 42 s rebuild).
"""
from __future__ import annotations

import atexit
import bisect
import logging
import os
import pickle
import struct
import threading
import weakref
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import numpy as np

from ..errors import DocumentNotFoundError
from .bm25 import BM25Index
from ..schema import Document, Passage, Sentence, Span
from ..text.terms import document_terms
from ..store.base import EMPTY_VECTORS as _EMPTY
from ..store.base import SentenceStore, StoredDocument

log = logging.getLogger(__name__)
FORMAT = 7      # bump when the saved layout or what it holds changes: older files are ignored
DIM = 384


@dataclass(frozen=True)
class Part:
    """One document as the catalog keeps it: its stored rows, each sentence's indexed terms, and
    its passages and windows as (number, first sentence, last sentence, start, end) rows (only
    their rows are looked up: objects for 250,000 windows took a second to make)."""

    stored: StoredDocument
    terms: list[list[str]]
    passages: np.ndarray
    windows: np.ndarray

    @classmethod
    def of(cls, stored: StoredDocument) -> "Part":
        passages, windows = _spans_array(stored.passages), _spans_array(stored.windows)
        stored.passages, stored.windows = [], []
        return cls(stored, document_terms([s.text for s in stored.sentences]), passages, windows)


class _SpanRows:
    """Sentence id -> the range of matrix rows whose span covers that sentence, looked up in the
    document's (first, last) columns when asked: a dict over every sentence took 0.3 s to make
    at 100,000 sentences, and only candidates are ever asked for."""

    def __init__(self) -> None:
        self._docs: dict[str, tuple[int, np.ndarray, np.ndarray]] = {}

    def add(self, doc_id: str, row: int, spans: np.ndarray) -> None:
        if len(spans):
            self._docs[doc_id] = (row, spans[:, 1], spans[:, 2])

    def get(self, sentence_id: str) -> tuple[int, int] | None:
        doc_id, _, index = sentence_id.rpartition("::")
        found = self._docs.get(doc_id)
        if found is None or not index.isdigit():
            return None
        row, firsts, lasts = found
        i = int(index)
        lo, hi = int(np.searchsorted(lasts, i, "left")), int(np.searchsorted(firsts, i, "right"))
        return (row + lo, row + hi) if hi > lo else None


class _TermSets(dict):
    """Sentence id -> the set of its terms, made when first asked for (candidates only)."""

    def __init__(self, lists: dict[str, list[str]]) -> None:
        super().__init__()
        self._lists = lists

    def __missing__(self, sentence_id: str) -> frozenset[str]:
        made = self[sentence_id] = frozenset(self._lists[sentence_id])
        return made


def _stack(blocks: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(blocks) if blocks else _EMPTY


@dataclass(frozen=True)
class Snapshot:
    parts: dict[str, Part]                   # document id -> its part, in id order
    docs: dict[str, Document]
    sentences: list[Sentence]
    by_id: dict[str, Sentence]
    by_doc: dict[str, list[Sentence]]
    terms_of: dict[str, frozenset[str]]     # sentence id -> its content terms (made on first use)
    doc_terms: dict[str, frozenset[str]]    # document id -> its vocabulary
    all_terms: frozenset[str]
    bm25: BM25Index
    passage_vectors: np.ndarray              # one row per passage
    passage_rows: _SpanRows                  # sentence id -> the row of its passage
    window_vectors: np.ndarray               # one row per window of a long sentence
    window_rows: _SpanRows                   # sentence id -> its windows' rows (a range)
    token: str = ""                          # the store's change token when it was built

    @classmethod
    def build(cls, store: SentenceStore, previous: "Snapshot | None" = None) -> tuple["Snapshot", int]:
        """The store's current content, reusing the parts of `previous` whose key is unchanged;
        and how many documents were read back."""
        token = store.token()     # read first: a write after it makes the token differ
        keys = store.versions()
        old = previous.parts if previous is not None else {}
        kept = {d: p for d, p in old.items() if keys.get(d) == p.stored.key}
        if previous is not None and len(kept) == len(old) == len(keys):
            return previous, 0
        missing = [d for d in keys if d not in kept]
        fetched = {s.doc.id: Part.of(s) for s in store.stored_documents(missing)} if missing else {}
        parts = {d: kept.get(d) or fetched[d] for d in sorted(keys) if d in kept or d in fetched}
        return cls.of_parts(parts, token=token), len(missing)

    @classmethod
    def of_parts(cls, parts: dict[str, Part], bm25: BM25Index | None = None,
                 passage_vectors: np.ndarray | None = None, window_vectors: np.ndarray | None = None,
                 token: str = "") -> "Snapshot":
        """Everything derived from the parts; `bm25` and the matrices when they are known (a saved
        catalog). Each part's vectors become views into the matrices: kept once in memory."""
        if passage_vectors is None:
            passage_vectors = _stack([p.stored.passage_vectors for p in parts.values()])
        if window_vectors is None:
            window_vectors = _stack([p.stored.window_vectors for p in parts.values()])
        row_p = row_w = 0
        passage_rows, window_rows = _SpanRows(), _SpanRows()
        for d, p in parts.items():
            n_p, n_w = len(p.passages), len(p.windows)
            p.stored.passage_vectors = passage_vectors[row_p:row_p + n_p]
            p.stored.window_vectors = window_vectors[row_w:row_w + n_w]
            passage_rows.add(d, row_p, p.passages)
            window_rows.add(d, row_w, p.windows)
            row_p, row_w = row_p + n_p, row_w + n_w
        if (row_p, row_w) != (len(passage_vectors), len(window_vectors)):
            raise ValueError("the vectors do not match the passages and windows")
        docs = {d: p.stored.doc for d, p in parts.items()}
        by_doc = {d: p.stored.sentences for d, p in parts.items() if p.stored.sentences}
        sentences = [s for p in parts.values() for s in p.stored.sentences]
        sentence_terms = [ts for p in parts.values() for ts in p.terms]
        terms_of = _TermSets({s.id: ts for s, ts in zip(sentences, sentence_terms)})
        doc_terms = {d: frozenset(chain.from_iterable(p.terms)) for d, p in parts.items() if p.terms}
        return cls(parts=parts, docs=docs, sentences=sentences, by_id={s.id: s for s in sentences}, by_doc=by_doc,
                   terms_of=terms_of, doc_terms=doc_terms, all_terms=frozenset().union(*doc_terms.values()),
                   bm25=bm25 or BM25Index(sentences, {d.id: d.title for d in docs.values()}, sentence_terms),
                   passage_vectors=passage_vectors, passage_rows=passage_rows,
                   window_vectors=window_vectors, window_rows=window_rows, token=token)


def _spans_array(spans: list[Passage]) -> np.ndarray:
    return np.array([(q.index, q.first, q.last, q.span.start, q.span.end) for q in spans], dtype=np.int64).reshape(-1, 5)


class SnapshotFile:
    """The catalog saved between processes: written whole to a temporary file, then renamed, so a
    reader sees the old file or the new one; anything unreadable or of another format is ignored.
    Layout: the length of a pickle, the pickle, then the window vectors as raw float32 rows, which
    a new process maps instead of reading (only the rows of candidates are ever touched: at 100,000
    sentences they are 280 MB). Sentences are kept as (number, start, end) rows, their text being a
    slice of the document's; unpickling 100,000 Sentence objects took longer than making them."""

    ALIGN = 64

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def load(self) -> Snapshot | None:
        try:
            with open(self.path, "rb") as f:
                head = f.read(8)
                if len(head) < 8:
                    raise ValueError("truncated")
                size = struct.unpack("<Q", head)[0]
                if size > os.fstat(f.fileno()).st_size - 8:
                    raise ValueError("not a catalog file of this version")
                saved = pickle.loads(f.read(size))
            if not isinstance(saved, dict) or saved.get("format") != FORMAT:
                return None
            rows = saved["window_rows"]
            # A plain array over the map: slicing a memmap object costs 14 us (0.2 s at 100k).
            windows = (np.asarray(np.memmap(self.path, dtype=np.float32, mode="r", offset=self._offset(size),
                                            shape=(rows, DIM))) if rows else _EMPTY)
            parts = {}
            for (doc_id, text, title, metadata, key), sents, ents, terms, passages, spans in zip(
                    saved["docs"], saved["sentences"], saved["entities"], saved["terms"], saved["passages"],
                    saved["windows"]):
                doc = Document(doc_id, text, title, metadata)
                sentences = [Sentence(doc_id, i, Span(a, b), text[a:b], entities=e)
                             for (i, a, b), e in zip(sents.tolist(), ents)]
                parts[doc_id] = Part(StoredDocument(doc, key, sentences, [], _EMPTY, [], _EMPTY), terms, passages, spans)
            return Snapshot.of_parts(parts, saved["bm25"], saved["passage_vectors"], windows, saved["token"])
        except FileNotFoundError:
            return None
        except Exception as exc:    # damaged or from another version: rebuilt from the store
            log.warning("ignoring the saved catalog %s: %s", self.path, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return None

    def _offset(self, size: int) -> int:
        return -(-(8 + size) // self.ALIGN) * self.ALIGN

    def save(self, snapshot: Snapshot) -> None:
        parts = list(snapshot.parts.values())
        windows = np.ascontiguousarray(snapshot.window_vectors, dtype=np.float32)
        saved = {"format": FORMAT,
                 "docs": [(p.stored.doc.id, p.stored.doc.text, p.stored.doc.title, p.stored.doc.metadata, p.stored.key)
                          for p in parts],
                 "sentences": [np.array([(s.index, s.span.start, s.span.end) for s in p.stored.sentences],
                                        dtype=np.int64).reshape(-1, 3) for p in parts],
                 "entities": [[s.entities for s in p.stored.sentences] for p in parts],
                 "terms": [p.terms for p in parts],
                 "passages": [p.passages for p in parts],
                 "windows": [p.windows for p in parts],
                 "bm25": snapshot.bm25, "passage_vectors": snapshot.passage_vectors,
                 "window_rows": len(windows), "token": snapshot.token}
        head = pickle.dumps(saved, protocol=pickle.HIGHEST_PROTOCOL)
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            with open(tmp, "wb") as f:
                f.write(struct.pack("<Q", len(head)))
                f.write(head)
                f.write(b"\0" * (self._offset(len(head)) - 8 - len(head)))
                if windows.size:
                    f.write(memoryview(windows).cast("B"))
            os.replace(tmp, self.path)     # a process that mapped the old file keeps reading it
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
        generation = self._generation
        if not self._loaded:
            self._loaded = True
            self._base = self.file.load() if self.file else None
            if self._base is not None and self._base.token and self._base.token == self.store.token():
                if generation == self._generation:     # nothing written since it was saved
                    self._snapshot = self._base
                return self._base
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
        try:
            return self.current.terms_of[sentence_id]
        except KeyError:
            return frozenset()

    def vocabulary(self, doc_ids=None) -> frozenset[str]:
        snapshot = self.current
        if doc_ids is None:
            return snapshot.all_terms
        return frozenset().union(*(snapshot.doc_terms.get(d, frozenset()) for d in doc_ids))

    def passage_scorer(self, query_vector: np.ndarray):
        """A function: sentence id -> cosine of the query with the sentence's passage."""
        snapshot = self.current

        # Only the candidates' passages: all of them cost 3 ms a question at 100k sentences.
        def score(sid: str) -> float:
            rows = snapshot.passage_rows.get(sid)
            return float(snapshot.passage_vectors[rows[0]] @ query_vector) if rows else 0.0
        return score

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

    def sentence_at(self, doc_id: str, start: int, end: int) -> Sentence | None:
        """The stored sentence with exactly these offsets, if any (a quote of an earlier reply)."""
        doc = self.by_doc.get(doc_id, [])
        i = bisect.bisect_left(doc, start, key=lambda s: s.span.start)
        return doc[i] if i < len(doc) and doc[i].span.start == start and doc[i].span.end == end else None


_open_catalogs: "weakref.WeakSet[Catalog]" = weakref.WeakSet()


@atexit.register
def _save_open_catalogs() -> None:
    for catalog in list(_open_catalogs):
        catalog._save_at_exit()
