"""Build a `Document` from raw text: validate, clean, choose an id and title."""
from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..text.checks import CONTROL, MAX_DOC_ID, check_doc_id, check_metadata, check_title
from ..errors import InvalidDocumentError
from ..schema import Document
from .cleaner import clean_article
from .fetcher import FetchLimits, Page, fetch, shown_url
from .readers import check_text, read_file, read_sidecar


def file_doc_id(path: Path) -> str:
    """The file's name without its extension, in any script ("日本語.txt" -> "日本語")."""
    return _id_part(path.stem)


def _id_part(name: str) -> str:
    name = "-".join(unicodedata.normalize("NFC", name).split())
    return CONTROL.sub("", name).strip("-")[:MAX_DOC_ID] or "document"


def _distinct_id(path: Path, used: set[str]) -> str:
    """The file's id, or where that is taken, the file's path (folders and name, from the nearest
    folder out) until one is free, then a number: "report", "2025/report", "report (2)"."""
    name = file_doc_id(path)
    folders = [_id_part(part) for part in path.absolute().parent.parts[1:]]
    candidates = [name] + ["/".join(folders[-k:] + [name]) for k in range(1, len(folders) + 1)]
    candidates = [c for c in candidates if len(c) <= MAX_DOC_ID]
    for doc_id in candidates:
        if doc_id not in used:
            return doc_id
    n = 2
    while f"{name[:MAX_DOC_ID - 12]} ({n})" in used:
        n += 1
    return f"{name[:MAX_DOC_ID - 12]} ({n})"


def with_distinct_ids(items: Iterable[Any]) -> Iterator[Any]:
    """Ingest items, each file without an id of its own (argument or sidecar) given one no earlier
    item of the run has: two files named alike in different folders, or spelt in NFC and NFD, must
    not silently replace each other. Ids given explicitly keep their meaning (the later replaces)."""
    used: set[str] = set()
    for item in items:
        if isinstance(item, dict) and item.get("path") is not None and not item.get("doc_id"):
            path = Path(item["path"])
            try:
                own = read_sidecar(path).get("doc_id")
            except InvalidDocumentError:
                own = None        # build_item reports the sidecar
            item = {**item, "doc_id": own or _distinct_id(path, used)}
        if isinstance(item, dict) and isinstance(item.get("doc_id"), str):
            used.add(item["doc_id"])
        yield item


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


def link_id(page_url: str, canonical: str | None) -> str | None:
    """A page's id: its canonical URL when the page names one on its own site (a page must not take
    the id of another site's article), else the URL it was found at; None when neither fits."""
    import httpx

    found = httpx.URL(page_url)
    try:
        claimed = found.join(canonical) if canonical else None
    except (httpx.InvalidURL, ValueError):
        claimed = None

    def site(url: httpx.URL) -> str:
        return url.host.removeprefix("www.")

    for url in ([claimed] if claimed and claimed.scheme in ("http", "https") and site(claimed) == site(found)
                else []) + [found]:
        try:
            return check_doc_id(str(url))
        except InvalidDocumentError:
            continue
    return None


def page_document(page: Page, doc_id: str | None = None, title: str | None = None,
                  metadata: dict[str, Any] | None = None) -> Document:
    """A fetched page as a document: `source` is where it was found, the id its canonical URL."""
    given = check_metadata(metadata)
    doc = build_document(page.text, doc_id, title, {"source": page.url, **given}, fmt=page.fmt,
                         name=shown_url(page.url))
    canonical = link_id(page.url, doc.metadata.get("url"))
    meta = dict(doc.metadata)
    if "url" not in given:        # the page's claim is kept only where it is on the page's own site
        meta["url"] = canonical or page.url
    return replace(doc, id=doc_id or canonical or doc.id, metadata=meta)


def build_item(item: dict[str, Any], max_file_bytes: int, fetch_limits: FetchLimits | None = None) -> Document:
    """A document from an ingest item: a dict with `text` (and optionally `doc_id`, `title`,
    `metadata`, `fmt`), `path` (a file; a `name.json` beside it adds metadata) or `url` (a page
    fetched within `fetch_limits`)."""
    if not isinstance(item, dict):
        raise InvalidDocumentError(f"each document must be a dict with 'text', 'path' or 'url', not {type(item).__name__}")
    if item.get("url") is not None:
        page = fetch(item["url"], fetch_limits or FetchLimits())
        return page_document(page, item.get("doc_id"), item.get("title"), item.get("metadata"))
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
