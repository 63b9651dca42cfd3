"""Chroma as the store: embedded (PersistentClient) or a Chroma server (HttpClient).

Three collections: `<prefix>_sentences` holds one vector per sentence (the one searched);
`<prefix>_spans` one row per document with its passages (a sentence's context) and the windows
of its long sentences, their vectors packed in the metadata: they are only read back whole, never
searched, and a row per vector cost 20% of the ingest time; `<prefix>_documents` holds the full
stored text of each document and a state record. Rows that are never searched have a 1-d
placeholder vector. An index from before the spans collection (`<prefix>_passages`, a row per
vector) is refused with a message saying to rebuild it.
A new version of a document is written before the old one is deleted, so a failure midway never
loses what was stored; readers ignore sentences whose version is not the document's current one.
"""
from __future__ import annotations

import base64
import hashlib
import json
import logging
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Sequence
from urllib.parse import urlparse

import numpy as np

from ..errors import AssistantError, BrokenIndexError, InvalidDocumentError, OldIndexError, StoreUnavailableError
from ..schema import Document, Passage, Sentence, Span
from .base import EMPTY_VECTORS as _EMPTY
from .base import DocumentRows, StoredDocument

STATE_ID = "__state__"
DIM = 384
# may sit in a new index directory (catalog.pkl is the catalog's cache, checked against the store)
_NOT_INDEX_FILES = {"README.md", ".gitignore", ".gitkeep", "catalog.pkl"}
_RESERVED = {"title", "version", "kind", "n_sentences"}
log = logging.getLogger(__name__)


def _pack_spans(spans: Sequence[Passage]) -> str:
    return ";".join(f"{p.first},{p.last},{p.span.start},{p.span.end}" for p in spans)


def _unpack_spans(doc_id: str, packed: str) -> list[Passage]:
    rows = (tuple(map(int, part.split(","))) for part in packed.split(";") if part)
    return [Passage(doc_id, i, first, last, Span(start, end)) for i, (first, last, start, end) in enumerate(rows)]


def _sentence_meta(doc_id: str, version: str, s: Sentence) -> dict:
    meta = {"doc_id": doc_id, "version": version, "index": s.index, "start": s.span.start, "end": s.span.end}
    if s.entities is not None:    # label, start, end: the text is the sentence's own
        meta["entities"] = json.dumps([[label, a, b] for _, label, a, b in s.entities], separators=(",", ":"))
    return meta


def _unpack_entities(text: str, packed: Any) -> tuple[tuple[str, str, int, int], ...] | None:
    if not isinstance(packed, str):    # written before entities were stored
        return None
    try:
        return tuple((text[a:b], str(label), a, b) for label, a, b in json.loads(packed)
                     if isinstance(a, int) and isinstance(b, int) and 0 <= a < b <= len(text))
    except (ValueError, TypeError):     # damaged: found again by the question that needs them
        return None


def _scalar(value: Any) -> str | int | float | bool:
    return value if isinstance(value, (str, int, float, bool)) else json.dumps(value, default=str)


def _client_settings():
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:300] or type(exc).__name__


def _with_deadline(fn, seconds: float, what: str):
    """Run `fn` in a daemon thread and give up after `seconds`: chromadb's HttpClient talks to the
    server in its constructor, before any timeout can be set, and would wait forever on a hung one."""
    result: dict[str, Any] = {}

    def run():
        try:
            result["value"] = fn()
        except BaseException as exc:   # handed to the caller
            result["error"] = exc
    worker = threading.Thread(target=run, daemon=True, name="chroma-connect")
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise StoreUnavailableError(f"{what} did not answer in {seconds:g} s")
    if "error" in result:
        raise result["error"]
    return result["value"]


def _http_client(chroma_url: str, timeout: float):
    import chromadb
    import httpx

    try:
        url = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
        host, port = url.hostname or "127.0.0.1", url.port or 8000
    except ValueError as exc:
        raise StoreUnavailableError(f"invalid Chroma server URL {chroma_url!r}: {exc}") from None

    def connect():
        client = chromadb.HttpClient(host=host, port=port, ssl=url.scheme == "https", settings=_client_settings())
        client._server._session.timeout = httpx.Timeout(timeout)   # chromadb leaves requests without one
        client.heartbeat()
        return client
    try:
        return _with_deadline(connect, timeout, f"the Chroma server at {chroma_url}")
    except StoreUnavailableError:
        raise
    except Exception as exc:
        raise StoreUnavailableError(f"cannot reach the Chroma server at {chroma_url}: {_one_line(exc)}") from None


def check_index_dir(path: Path) -> None:
    """Refuse what is not an index before Chroma sees it: Chroma takes an empty or garbled
    chroma.sqlite3 for a new index and writes beside the old files."""
    if path.exists() and not path.is_dir():
        raise BrokenIndexError(f"{path} is a file, not an index directory")
    foreign = [p for p in path.iterdir() if p.name not in _NOT_INDEX_FILES] if path.is_dir() else []
    db = path / "chroma.sqlite3"
    if foreign and not db.exists():
        raise BrokenIndexError(
            f"{path} is not an index (no chroma.sqlite3 in a non-empty directory); "
            "pass an empty or new directory")
    if db.exists():
        with open(db, "rb") as f:
            head = f.read(16)
        if head != b"SQLite format 3\x00":
            raise _broken(path, f"{db.name} is {'empty' if not head else 'not an SQLite database'}")


def _broken(where, detail: str) -> BrokenIndexError:
    return BrokenIndexError(f"the index at {where} is broken ({detail}); restore it from a copy, "
                            "or move it away and ingest again")


def _embedded_client(path: Path):
    import chromadb

    check_index_dir(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=_client_settings())
    except Exception as exc:
        raise _broken(path, _one_line(exc)) from None


def _reopened_client(path: Path):
    """A new embedded client on `path`. Chroma caches one system per directory, and its vector
    index does not see rows another process added; dropping the cached system makes the new client
    load them. Collections of the old client keep their own system until they are dropped."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(str(path), None)
    SharedSystemClient._identifier_to_refcount.pop(str(path), None)
    return _embedded_client(path)


def _key(meta: dict) -> str:
    """A stored document's content version plus a digest of its metadata."""
    digest = hashlib.sha1(json.dumps(meta, sort_keys=True, default=str).encode()).hexdigest()[:8]
    return f"{meta.get('version')}-{digest}"


def content_version(doc: Document) -> str:
    """The version of a document's content: the same text and title give the same version."""
    return hashlib.sha1(doc.text.encode() + doc.title.encode()).hexdigest()[:12]


def _guarded(method):
    """Chroma failures as typed errors: a server that is down, refuses or is slower than the
    timeout raises `StoreUnavailableError` (one line, never a raw traceback)."""
    import functools

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except AssistantError:
            raise
        except Exception as exc:
            if self.remote and _is_transport_error(exc):
                raise StoreUnavailableError(f"the Chroma server at {self.remote} failed: {_one_line(exc)}") from None
            if not self.remote and _is_storage_error(exc):
                raise _broken(self.location, _one_line(exc)) from None
            raise
    return wrapper


def _is_storage_error(exc: Exception) -> bool:
    """An error from Chroma's storage (a damaged chroma.sqlite3 or segment files), not from our call."""
    import sqlite3

    return isinstance(exc, sqlite3.DatabaseError) or type(exc).__module__.startswith("chromadb")


def _is_transport_error(exc: Exception) -> bool:
    import httpx

    return isinstance(exc, (httpx.TransportError, ConnectionError, TimeoutError, OSError)) or \
        "connect" in str(exc).lower() or "timed out" in str(exc).lower()


class ChromaStore:
    """`reopen` makes a fresh client when another process has written (embedded store); `remote`
    names the server in error messages."""

    CHECK_EVERY = 0.5   # seconds between checks for another process's writes

    def __init__(self, client, prefix: str = "assistant", *, reopen=None, remote: str | None = None,
                 location: str = "") -> None:
        self.prefix = prefix
        self.remote = remote
        self.location = location or remote or "?"
        self._reopen = reopen
        self._lock = threading.Lock()
        self._retired: list = []
        self._open(client)
        # Read caches: document id -> content version, document id -> key of its rows and metadata,
        # sentence count (saves a round trip per query). A read kept only when no write ended
        # while it ran: a stale copy kept after a write would hide that write for good.
        self._cache: dict[str, Any] = {}
        self._writes = 0
        self._token = self._read_token()
        self._checked = time.monotonic()

    @classmethod
    def connect(cls, index_dir: Path | None = None, chroma_url: str | None = None,
                prefix: str = "assistant", timeout: float = 10.0) -> "ChromaStore":
        if chroma_url:
            return cls(_http_client(chroma_url, timeout), prefix, remote=chroma_url)
        path = Path(index_dir)
        # A fresh client even when this process opened the directory before: a cached one does not
        # see what other processes wrote since.
        return cls(_reopened_client(path), prefix, reopen=lambda: _reopened_client(path), location=str(path))

    @_guarded
    def _open(self, client) -> None:
        prefix = self.prefix
        try:
            self._sentences = client.get_or_create_collection(
                f"{prefix}_sentences", metadata={"hnsw:space": "cosine"}, embedding_function=None)
            self._spans = client.get_or_create_collection(f"{prefix}_spans", embedding_function=None)
            names = {getattr(c, "name", c) for c in client.list_collections()}
            self._documents = client.get_or_create_collection(
                f"{prefix}_documents", embedding_function=None)
        except Exception as exc:
            if self.remote and _is_transport_error(exc):
                raise
            if not self.remote:   # a damaged local file (listing the collections reads it whole)
                raise _broken(self.location, _one_line(exc)) from None
            raise BrokenIndexError(f"the index cannot be opened: {_one_line(exc)}") from None
        if f"{prefix}_passages" in names or f"{prefix}_windows" in names:
            raise OldIndexError(f"the index at {self.location or self.remote} was written by an older version "
                                "(a row per passage vector): move it aside and ingest the documents again")
        self.client = client

    # changes by other processes -------------------------------------------------------------
    def _read_token(self) -> str:
        return str(self.get_state("change") or "")

    def _touch(self) -> None:
        """Mark a write: every process sharing the index sees a new change token."""
        self._token = uuid.uuid4().hex
        self.set_state("change", self._token)

    @_guarded
    def token(self) -> str:
        """The change token as stored now (a new one after every write, by any process)."""
        return self._read_token()

    @_guarded
    def changed(self) -> bool:
        """Whether anything was written since the last look, by any process (checked at most every
        `CHECK_EVERY` seconds); if so, caches are dropped and an embedded store is reopened."""
        now = time.monotonic()
        if now - self._checked < self.CHECK_EVERY:
            return False
        self._checked = now
        token = self._read_token()
        if token == self._token:
            return False
        with self._lock:
            self._token = token
            if self._reopen is not None:
                self._retired = self._retired[-1:] + [self.client]   # still in use by a running query
                self._open(self._reopen())
        self._wrote()
        return True

    def _wrote(self) -> None:
        with self._lock:
            self._writes += 1
            self._cache.clear()

    def _cached(self, name: str, read: Callable[[], Any]) -> Any:
        value = self._cache.get(name)
        if value is None:
            writes = self._writes
            value = read()
            with self._lock:
                if writes == self._writes:
                    self._cache[name] = value
        return value

    # documents ---------------------------------------------------------------------------
    @_guarded
    def content_versions(self) -> dict[str, str]:
        """Document id -> the content version stored (see `content_version`)."""
        return dict(self._current_versions())

    @_guarded
    def holds(self, doc: Document) -> bool:
        """Whether this exact content is stored under the document's id (a rerun skips it)."""
        return self._current_versions().get(doc.id) == content_version(doc)

    def _current_versions(self) -> dict[str, str]:
        def read():
            got = self._documents.get(where={"kind": "document"}, include=["metadatas"])
            return {i: m["version"] for i, m in zip(got["ids"], got["metadatas"])}
        return self._cached("versions", read)

    @staticmethod
    def _upsert(collection, ids, embeddings, documents, metadatas) -> None:
        for i in range(0, len(ids), 2000):   # Chroma caps the batch size
            collection.upsert(ids=ids[i:i + 2000], embeddings=embeddings[i:i + 2000],
                              documents=documents[i:i + 2000], metadatas=metadatas[i:i + 2000])

    @staticmethod
    def _span_row(rows: DocumentRows, version: str) -> dict:
        vectors = np.concatenate([rows.passage_vectors, rows.window_vectors]).astype(np.float32)
        return {"doc_id": rows.doc.id, "version": version, "passages": _pack_spans(rows.passages),
                "windows": _pack_spans(rows.windows), "vectors": base64.b64encode(vectors.tobytes()).decode()}

    @_guarded
    def replace_documents(self, batch: Sequence[DocumentRows]) -> None:
        """Store documents with their rows. The document rows, written last in one call, make the
        new versions current: a failure before leaves the old versions in place."""
        metas, versions = [], []
        for rows in batch:
            doc = rows.doc
            version = content_version(doc)
            meta = {k: _scalar(v) for k, v in doc.metadata.items() if k not in _RESERVED and v is not None}
            meta.update(kind="document", title=doc.title, version=version, n_sentences=len(rows.sentences))
            if not all(isinstance(k, str) and k for k in meta):
                raise InvalidDocumentError("metadata keys must be non-empty strings")
            metas.append(meta)
            versions.append(version)
        current = self._current_versions()
        was = [current.get(rows.doc.id) for rows in batch]
        try:
            self._upsert(self._sentences,
                         [f"{r.doc.id}::{v}::{s.index}" for r, v in zip(batch, versions) for s in r.sentences],
                         np.concatenate([r.sentence_vectors for r in batch]),
                         [s.text for r in batch for s in r.sentences],
                         [_sentence_meta(r.doc.id, v, s) for r, v in zip(batch, versions) for s in r.sentences])
            self._upsert(self._spans, [f"{r.doc.id}::{v}::spans" for r, v in zip(batch, versions)],
                         [[1.0]] * len(batch), [""] * len(batch),
                         [self._span_row(r, v) for r, v in zip(batch, versions)])
            self._documents.upsert(ids=[r.doc.id for r in batch], documents=[r.doc.text for r in batch],
                                   embeddings=[[1.0]] * len(batch), metadatas=metas)
        except Exception:
            for r, v, old in zip(batch, versions, was):
                if old != v:   # rows of a version that never became current
                    self._delete_rows({"$and": [{"doc_id": r.doc.id}, {"version": v}]}, quiet=True)
            raise
        self._wrote()   # the new versions are current from here
        for r, v, old in zip(batch, versions, was):
            if old is not None and old != v:   # a new document has no older rows to remove
                self._delete_rows({"$and": [{"doc_id": r.doc.id}, {"version": {"$ne": v}}]})
        self._wrote()
        self._touch()

    def _row_collections(self) -> list:
        return [self._sentences, self._spans]

    def _delete_rows(self, where: dict, quiet: bool = False) -> None:
        for collection in self._row_collections():
            try:
                collection.delete(where=where)
            except Exception:
                if not quiet:
                    raise
                log.exception("could not remove the rows of a failed write (%s)", where)

    @_guarded
    def delete_document(self, doc_id: str) -> None:
        self._documents.delete(ids=[doc_id])
        self._wrote()
        for collection in self._row_collections():
            collection.delete(where={"doc_id": doc_id})
        self._wrote()
        self._touch()

    @staticmethod
    def _document(doc_id: str, text: str, meta: dict) -> Document:
        meta = dict(meta)
        title = meta.pop("title", "")
        for key in ("kind", "version", "n_sentences"):
            meta.pop(key, None)
        return Document(id=doc_id, text=text, title=title, metadata=meta)

    @_guarded
    def versions(self) -> dict[str, str]:
        """Document id -> a key that changes whenever the document's rows or metadata change."""
        def read():
            got = self._documents.get(where={"kind": "document"}, include=["metadatas"])
            return {i: _key(m) for i, m in zip(got["ids"], got["metadatas"]) if m is not None}
        return dict(self._cached("keys", read))

    @_guarded
    def stored_documents(self, doc_ids: Sequence[str]) -> list[StoredDocument]:
        """The current rows of these documents (an id no longer stored is left out), in chunks."""
        out = []
        for start in range(0, len(doc_ids), 200):
            chunk = list(doc_ids[start:start + 200])
            got = self._documents.get(ids=chunk, include=["documents", "metadatas"])
            heads = {i: (text, meta) for i, text, meta in zip(got["ids"], got["documents"], got["metadatas"])
                     if meta is not None and text is not None and meta.get("kind") == "document"}
            if not heads:
                continue
            versions = {i: meta["version"] for i, (_, meta) in heads.items()}
            where = {"doc_id": {"$in": list(heads)}}
            rows = self._sentences.get(where=where, include=["documents", "metadatas"])
            sentences: dict[str, list[Sentence]] = {}
            for text, m in zip(rows["documents"], rows["metadatas"]):
                if m is not None and text is not None and versions.get(m["doc_id"]) == m["version"]:
                    sentences.setdefault(m["doc_id"], []).append(
                        Sentence(m["doc_id"], m["index"], Span(m["start"], m["end"]), text,
                                 entities=_unpack_entities(text, m.get("entities"))))
            passages, passage_vectors, windows, window_vectors = self._read_spans(where, versions)
            for doc_id, (text, meta) in sorted(heads.items()):
                out.append(StoredDocument(
                    self._document(doc_id, text, meta), _key(meta),
                    sorted(sentences.get(doc_id, []), key=lambda s: s.index),
                    passages.get(doc_id, []), passage_vectors.get(doc_id, _EMPTY),
                    windows.get(doc_id, []), window_vectors.get(doc_id, _EMPTY)))
        return out

    # sentences ---------------------------------------------------------------------------
    @_guarded
    def sentence_vectors(self, doc_id: str) -> tuple[list[int], np.ndarray]:
        """Sentence numbers of one document and their vectors, in document order."""
        version = self._current_versions().get(doc_id)
        got = self._sentences.get(where={"$and": [{"doc_id": doc_id}, {"version": version or ""}]},
                                  include=["metadatas", "embeddings"])
        rows = sorted((m["index"], j) for j, m in enumerate(got["metadatas"]) if m is not None)
        matrix = np.asarray([got["embeddings"][j] for _, j in rows], dtype=np.float32).reshape(-1, DIM)
        return [i for i, _ in rows], matrix

    def _read_spans(self, where: dict, versions: dict[str, str]):
        """Current passages and windows by document, and their vectors."""
        passages, passage_vectors, windows, window_vectors = {}, {}, {}, {}
        got = self._spans.get(where=where, include=["metadatas"])
        for m in got["metadatas"]:
            if m is None or versions.get(m["doc_id"]) != m["version"]:
                continue
            d = m["doc_id"]
            passages[d], windows[d] = _unpack_spans(d, m["passages"]), _unpack_spans(d, m["windows"])
            vectors = np.frombuffer(base64.b64decode(m["vectors"]), dtype=np.float32).reshape(-1, DIM)
            passage_vectors[d], window_vectors[d] = vectors[:len(passages[d])], vectors[len(passages[d]):]
        return passages, passage_vectors, windows, window_vectors

    @_guarded
    def search(self, embedding: np.ndarray, k: int,
               doc_ids: Sequence[str] | None = None) -> list[tuple[str, float]]:
        versions = self._current_versions()
        if doc_ids is not None:
            doc_ids = [d for d in doc_ids if d in versions]
            if not doc_ids:
                return []
        where = None
        if doc_ids is not None and len(doc_ids) < len(versions):
            where = {"doc_id": doc_ids[0]} if len(doc_ids) == 1 else {"doc_id": {"$in": list(doc_ids)}}
        n = self._cached("count", self._sentences.count)
        if n == 0:
            return []
        # The row ids say document, version and index: reading the metadata too took about 2 of
        # the query's 3.5 ms at 10k sentences.
        got = self._sentences.query(query_embeddings=[np.asarray(embedding, dtype=np.float32)],
                                    n_results=min(k, n), where=where, include=["distances"])
        hits = []
        for row_id, dist in zip(got["ids"][0], got["distances"][0]):
            doc_id, version, index = row_id.rsplit("::", 2)
            if dist is not None and versions.get(doc_id) == version:
                hits.append((f"{doc_id}::{index}", 1.0 - float(dist)))
        return hits

    # state -------------------------------------------------------------------------------
    @_guarded
    def get_state(self, key: str) -> str | None:
        got = self._documents.get(ids=[STATE_ID], include=["metadatas"])
        return got["metadatas"][0].get(key) if got["ids"] else None

    @_guarded
    def set_state(self, key: str, value: str) -> None:
        got = self._documents.get(ids=[STATE_ID], include=["metadatas"])
        meta = dict(got["metadatas"][0]) if got["ids"] else {"kind": "state"}
        meta[key] = value
        self._documents.upsert(ids=[STATE_ID], documents=[""], embeddings=[[1.0]], metadatas=[meta])
