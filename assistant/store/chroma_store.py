"""Chroma as the store: embedded (PersistentClient) or a Chroma server (HttpClient).

Four collections: `<prefix>_sentences` holds one vector per sentence, `<prefix>_passages` one per
passage (a sentence's context), `<prefix>_windows` one per window of a long sentence;
`<prefix>_documents` holds the full stored text of each document (a 1-d placeholder vector, never
searched) and a state record.
A new version of a document is written before the old one is deleted, so a failure midway never
loses what was stored; readers ignore sentences whose version is not the document's current one.
"""
from __future__ import annotations

import json
import hashlib
from pathlib import Path
from typing import Any, Sequence
from urllib.parse import urlparse

import numpy as np

from ..errors import BrokenIndexError, StoreUnavailableError
from ..schema import Document, Passage, Sentence, Span

STATE_ID = "__state__"
_NOT_INDEX_FILES = {"README.md", ".gitignore", ".gitkeep"}   # may sit in a new index directory
_RESERVED = {"title", "version", "kind", "n_sentences"}


def _scalar(value: Any) -> str | int | float | bool:
    return value if isinstance(value, (str, int, float, bool)) else json.dumps(value, default=str)


def _client_settings():
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)


def open_client(index_dir: Path | None = None, chroma_url: str | None = None):
    import chromadb

    if chroma_url:
        url = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
        try:
            client = chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 8000,
                                         ssl=url.scheme == "https", settings=_client_settings())
            client.heartbeat()
        except Exception as exc:
            raise StoreUnavailableError(f"cannot reach the Chroma server at {chroma_url}: {exc}") from None
        return client
    path = Path(index_dir)
    if path.exists() and not path.is_dir():
        raise BrokenIndexError(f"{path} is a file, not an index directory")
    foreign = [p for p in path.iterdir() if p.name not in _NOT_INDEX_FILES] if path.is_dir() else []
    if foreign and not (path / "chroma.sqlite3").exists():
        raise BrokenIndexError(
            f"{path} is not an index (no chroma.sqlite3 in a non-empty directory); "
            "pass an empty or new directory")
    try:
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=_client_settings())
    except Exception as exc:
        raise BrokenIndexError(f"{path} is not a readable index: {exc}") from None


class ChromaStore:
    def __init__(self, client, prefix: str = "assistant") -> None:
        self.client = client
        try:
            self._sentences = client.get_or_create_collection(
                f"{prefix}_sentences", metadata={"hnsw:space": "cosine"}, embedding_function=None)
            self._passages = client.get_or_create_collection(
                f"{prefix}_passages", metadata={"hnsw:space": "cosine"}, embedding_function=None)
            self._windows = client.get_or_create_collection(
                f"{prefix}_windows", metadata={"hnsw:space": "cosine"}, embedding_function=None)
            self._documents = client.get_or_create_collection(
                f"{prefix}_documents", embedding_function=None)
        except Exception as exc:
            raise BrokenIndexError(f"the index cannot be opened: {exc}") from None
        self._versions: dict[str, str] | None = None
        self._count: int | None = None   # sentence count, kept to save a round trip per query

    # documents ---------------------------------------------------------------------------
    def _current_versions(self) -> dict[str, str]:
        if self._versions is None:
            got = self._documents.get(where={"kind": "document"}, include=["metadatas"])
            self._versions = {i: m["version"] for i, m in zip(got["ids"], got["metadatas"])}
        return self._versions

    @staticmethod
    def _upsert(collection, ids, embeddings, documents, metadatas) -> None:
        for i in range(0, len(ids), 2000):   # Chroma caps the batch size
            collection.upsert(ids=ids[i:i + 2000], embeddings=embeddings[i:i + 2000],
                              documents=documents[i:i + 2000], metadatas=metadatas[i:i + 2000])

    def _upsert_spans(self, collection, tag: str, doc: Document, version: str,
                      spans: Sequence[Passage], embeddings: np.ndarray) -> None:
        self._upsert(collection, [f"{doc.id}::{version}::{tag}{p.index}" for p in spans], embeddings,
                     [doc.text[p.span.start:p.span.end] for p in spans],
                     [{"doc_id": doc.id, "version": version, "index": p.index, "first": p.first,
                       "last": p.last, "start": p.span.start, "end": p.span.end} for p in spans])

    def replace_document(self, doc: Document, sentences: Sequence[Sentence], embeddings: np.ndarray,
                         passages: Sequence[Passage], passage_embeddings: np.ndarray,
                         windows: Sequence[Passage], window_embeddings: np.ndarray) -> None:
        version = hashlib.sha1(doc.text.encode() + doc.title.encode()).hexdigest()[:12]
        self._upsert(self._sentences, [f"{doc.id}::{version}::{s.index}" for s in sentences], embeddings,
                     [s.text for s in sentences],
                     [{"doc_id": doc.id, "version": version, "index": s.index,
                       "start": s.span.start, "end": s.span.end} for s in sentences])
        self._upsert_spans(self._passages, "p", doc, version, passages, passage_embeddings)
        self._upsert_spans(self._windows, "w", doc, version, windows, window_embeddings)
        meta = {k: _scalar(v) for k, v in doc.metadata.items() if k not in _RESERVED and v is not None}
        meta.update(kind="document", title=doc.title, version=version, n_sentences=len(sentences))
        self._documents.upsert(ids=[doc.id], documents=[doc.text], embeddings=[[1.0]], metadatas=[meta])
        self._current_versions()[doc.id] = version
        stale = {"$and": [{"doc_id": doc.id}, {"version": {"$ne": version}}]}
        for collection in (self._sentences, self._passages, self._windows):
            collection.delete(where=stale)
        self._count = None

    def delete_document(self, doc_id: str) -> None:
        self._documents.delete(ids=[doc_id])
        self._current_versions().pop(doc_id, None)
        for collection in (self._sentences, self._passages, self._windows):
            collection.delete(where={"doc_id": doc_id})
        self._count = None

    def documents(self) -> list[Document]:
        got = self._documents.get(where={"kind": "document"}, include=["documents", "metadatas"])
        docs = []
        for doc_id, text, meta in zip(got["ids"], got["documents"], got["metadatas"]):
            meta = dict(meta)
            title = meta.pop("title", "")
            for key in ("kind", "version", "n_sentences"):
                meta.pop(key, None)
            docs.append(Document(id=doc_id, text=text, title=title, metadata=meta))
        return sorted(docs, key=lambda d: d.id)

    # sentences ---------------------------------------------------------------------------
    def sentences(self) -> list[Sentence]:
        versions = self._current_versions()
        got = self._sentences.get(include=["documents", "metadatas"])
        out = [Sentence(m["doc_id"], m["index"], Span(m["start"], m["end"]), text)
               for text, m in zip(got["documents"], got["metadatas"])
               if versions.get(m["doc_id"]) == m["version"]]
        out.sort(key=lambda s: (s.doc_id, s.index))
        return out

    def sentence_vectors(self, doc_id: str) -> tuple[list[int], np.ndarray]:
        """Sentence numbers of one document and their vectors, in document order."""
        version = self._current_versions().get(doc_id)
        got = self._sentences.get(where={"$and": [{"doc_id": doc_id}, {"version": version or ""}]},
                                  include=["metadatas", "embeddings"])
        rows = sorted((m["index"], j) for j, m in enumerate(got["metadatas"]))
        matrix = np.asarray([got["embeddings"][j] for _, j in rows], dtype=np.float32).reshape(-1, 384)
        return [i for i, _ in rows], matrix

    def passages(self) -> tuple[list[Passage], np.ndarray]:
        return self._spans(self._passages)

    def windows(self) -> tuple[list[Passage], np.ndarray]:
        return self._spans(self._windows)

    def _spans(self, collection) -> tuple[list[Passage], np.ndarray]:
        versions = self._current_versions()
        got = collection.get(include=["metadatas", "embeddings"])
        rows = sorted((m["doc_id"], m["index"], j) for j, m in enumerate(got["metadatas"])
                      if versions.get(m["doc_id"]) == m["version"])
        metas = got["metadatas"]
        passages = [Passage(d, i, metas[j]["first"], metas[j]["last"], Span(metas[j]["start"], metas[j]["end"]))
                    for d, i, j in rows]
        matrix = np.asarray([got["embeddings"][j] for _, _, j in rows], dtype=np.float32).reshape(-1, 384)
        return passages, matrix

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
        if self._count is None:
            self._count = self._sentences.count()
        n = self._count
        if n == 0:
            return []
        got = self._sentences.query(query_embeddings=[np.asarray(embedding, dtype=np.float32)],
                                    n_results=min(k, n), where=where,
                                    include=["metadatas", "distances"])
        hits = []
        for meta, dist in zip(got["metadatas"][0], got["distances"][0]):
            if versions.get(meta["doc_id"]) == meta["version"]:
                hits.append((f"{meta['doc_id']}::{meta['index']}", 1.0 - float(dist)))
        return hits

    # state -------------------------------------------------------------------------------
    def get_state(self, key: str) -> str | None:
        got = self._documents.get(ids=[STATE_ID], include=["metadatas"])
        return got["metadatas"][0].get(key) if got["ids"] else None

    def set_state(self, key: str, value: str) -> None:
        got = self._documents.get(ids=[STATE_ID], include=["metadatas"])
        meta = dict(got["metadatas"][0]) if got["ids"] else {"kind": "state"}
        meta[key] = value
        self._documents.upsert(ids=[STATE_ID], documents=[""], embeddings=[[1.0]], metadatas=[meta])
