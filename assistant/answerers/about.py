"""Answers about the document itself: author, date, place, source and title, from the metadata
ingest extracted, quoting the line of the text that holds it (byline, date line, dateline)."""
from __future__ import annotations

from ..ingest.metadata import Found, dateline_date, dateline_place, find_byline, find_date_line, find_dateline
from ..schema import Answer, AnswerKind, Document, Quote, Span
from ..catalog.catalog import Catalog
from .base import Parts, Request
from .scope import MAX_DOCS, docs_in_scope, span_quote

NAMES = {"author": "author", "date": "date", "place": "place (dateline)", "source": "source",
         "title": "title"}


def _in_text(doc: Document, value: str, found: Found | None) -> Span | None:
    return found.span if found and value and value in doc.text[found.span.start:found.span.end] else None


def document_fact(doc: Document, field: str) -> tuple[str, Span | None]:
    """(value, span of the text that states it) for one field; value "" when the document has none."""
    meta = doc.metadata
    if field == "author":
        value = str(meta.get("author") or "")
        return value, _in_text(doc, value, find_byline(doc.text))
    if field == "date":
        value = str(meta.get("date") or meta.get("published") or "")
        line = find_date_line(doc.text)
        if line and value == line.value:
            return value, line.span
        dateline = find_dateline(doc.text)
        return value, dateline.span if dateline and value and value == dateline_date(dateline.value) else None
    if field == "place":
        value = str(meta.get("place") or "")
        dateline = find_dateline(doc.text)
        return value, dateline.span if dateline and value == dateline_place(dateline.value) else None
    if field == "source":
        # a page fetched by link has the same URL as its source and its canonical address
        return ", ".join(dict.fromkeys(str(meta[k]) for k in ("publisher", "url", "source") if meta.get(k))), None
    return doc.title, None


class AboutAnswerer:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def __call__(self, question: str, field: str, doc_ids: list[str] | None) -> Answer:
        lines: list[str] = []
        quotes: list[Quote] = []
        docs = docs_in_scope(self.catalog, doc_ids)[:MAX_DOCS]
        for doc in docs:
            value, span = document_fact(doc, field)
            where = f"“{doc.title}”" if len(docs) > 1 else "The article"
            if not value:
                lines.append(f"{where} does not give its {NAMES[field]}.")
                continue
            lines.append(f"{doc.title}: {value}" if len(docs) > 1 else value)
            if span is not None:
                quotes.append(span_quote(doc, span))
        return Answer(question=question, text="\n".join(lines), quotes=quotes, kind=AnswerKind.ABOUT)


class AboutHandler:
    """ "Who wrote it?", "When was it published?": the field the intent names."""

    def __init__(self, parts: Parts) -> None:
        self.about = AboutAnswerer(parts.catalog)

    def __call__(self, request: Request) -> Answer:
        return self.about(request.question, request.intent.field, request.doc_ids)
