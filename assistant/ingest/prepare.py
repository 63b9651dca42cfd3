"""Ingest items to documents split and ready to embed: read, clean, split into sentences,
passages and windows. With `jobs` > 1 worker processes do it while the main process embeds and
writes: splitting (pysbd) is pure Python, about an eighth of the ingest time on one process."""
from __future__ import annotations

import multiprocessing
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from ..errors import AssistantError, InvalidDocumentError
from ..schema import Document, Passage, Sentence
from .document_builder import build_item
from .fetcher import FetchLimits
from .splitter import group_passages, indexed_sentences, sentence_windows


@dataclass
class Prepared:
    """A document split and ready to embed."""

    doc: Document
    sentences: list[Sentence]
    passages: list[Passage]
    windows: list[Passage]


def prepare(doc: Document) -> Prepared:
    sentences = indexed_sentences(doc.text, doc.id, doc.indexed)
    if not sentences:
        raise InvalidDocumentError(f"{doc.id}: no sentences found")
    return Prepared(doc, sentences, group_passages(doc.text, sentences), sentence_windows(sentences))


@dataclass
class Outcome:
    """One item: its document split (`prepared`), or only its document when the store held that
    content already (`prepared` None), or why it failed (`error`)."""

    name: str
    doc: Document | None = None
    prepared: Prepared | None = None
    error: str | None = None


def _name(item: Any) -> str:
    if not isinstance(item, dict):
        return "document"
    return str(item.get("path") or item.get("url") or item.get("doc_id") or "document")


def _outcome(item: Any, max_file_bytes: int, held: dict[str, str], fetch_limits: FetchLimits | None) -> Outcome:
    from ..store.chroma_store import content_version

    try:
        doc = build_item(item, max_file_bytes, fetch_limits)
        if held.get(doc.id) == content_version(doc):
            return Outcome(_name(item), doc)
        return Outcome(_name(item), doc, prepare(doc))
    except AssistantError as exc:
        return Outcome(_name(item), error=str(exc))


_job: tuple[int, dict[str, str], FetchLimits | None] = (0, {}, None)


def _start_worker(max_file_bytes: int, held: dict[str, str], fetch_limits: FetchLimits | None) -> None:
    global _job
    _job = (max_file_bytes, held, fetch_limits)


def _work(item: Any) -> Outcome:
    return _outcome(item, *_job)


def prepare_items(items: Iterable[Any], max_file_bytes: int, held: dict[str, str] | None = None,
                  jobs: int = 1, fetch_limits: FetchLimits | None = None) -> Iterator[Outcome]:
    """Outcomes in the order of `items`. `held`: document id -> the content version the store has,
    so unchanged documents are not split again."""
    held = held or {}
    if jobs <= 1:
        for item in items:
            yield _outcome(item, max_file_bytes, held, fetch_limits)
        return
    # spawn: the main process holds PyTorch's threads, which a forked child must not inherit
    with multiprocessing.get_context("spawn").Pool(jobs, _start_worker, (max_file_bytes, held, fetch_limits)) as pool:
        yield from pool.imap(_work, items, chunksize=8)
