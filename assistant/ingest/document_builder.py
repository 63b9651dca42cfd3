"""Build a `Document` from raw text: validate, clean, choose an id and title."""
from __future__ import annotations

import hashlib
from typing import Any

from ..checks import check_doc_id, check_metadata, check_title
from ..errors import InvalidDocumentError
from ..schema import Document
from .cleaner import clean_article
from .readers import check_text

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
