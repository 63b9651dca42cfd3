"""Build a `Document` from raw text: validate, clean, choose an id and title."""
from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path
from typing import Any

from ..checks import CONTROL, MAX_DOC_ID, check_doc_id, check_metadata, check_title
from ..errors import InvalidDocumentError
from ..schema import Document
from .cleaner import clean_article
from .readers import check_text, read_file, read_sidecar


def file_doc_id(path: Path) -> str:
    """The file's name without its extension, in any script ("日本語.txt" -> "日本語")."""
    stem = "-".join(unicodedata.normalize("NFC", path.stem).split())
    return CONTROL.sub("", stem).strip("-")[:MAX_DOC_ID] or "document"


def build_document(text: str, doc_id: str | None = None, title: str | None = None,
                   metadata: dict[str, Any] | None = None, fmt: str = "text",
                   name: str = "document") -> Document:
    if not isinstance(text, str):
        raise InvalidDocumentError(f"{name}: text must be a str, not {type(text).__name__}")
    check_text(text, name)
    title, metadata = check_title(title), check_metadata(metadata)
    if doc_id is not None:
        check_doc_id(doc_id)
    article = clean_article(text, fmt=fmt, title=title)
    if not article.text.strip() or (article.indexed is not None and not article.indexed):
        raise InvalidDocumentError(f"{name} has no article text once boilerplate is removed")
    doc_id = check_doc_id(doc_id or "doc-" + hashlib.sha1(article.text.encode()).hexdigest()[:12])
    meta = {**article.metadata, **(metadata or {})}
    return Document(id=doc_id, text=article.text, title=article.title or doc_id, metadata=meta,
                    indexed=article.indexed)


def build_item(item: dict[str, Any], max_file_bytes: int) -> Document:
    """A document from an ingest item: a dict with `text` (and optionally `doc_id`, `title`,
    `metadata`, `fmt`) or `path` (a file; a `name.json` beside it adds metadata)."""
    if not isinstance(item, dict):
        raise InvalidDocumentError(f"each document must be a dict with 'text' or 'path', not {type(item).__name__}")
    if item.get("path") is not None:
        path = Path(item["path"])
        text, fmt = read_file(path, max_file_bytes)
        side = read_sidecar(path)
        side_id, side_title = side.pop("doc_id", None), side.pop("title", None)
        meta = {"source": path.name, **side, **(item.get("metadata") or {})}
        return build_document(text, item.get("doc_id") or side_id or file_doc_id(path),
                              item.get("title") or side_title, meta, fmt=fmt, name=path.name)
    return build_document(item.get("text"), item.get("doc_id"), item.get("title"), item.get("metadata"),
                          fmt=item.get("fmt", "text"), name=str(item.get("doc_id") or "document"))
