"""The documents a request covers and quotes of their sentences: shared by the answers about a
document as a whole."""
from __future__ import annotations

from ..schema import Document, Quote, Sentence, Span
from ..catalog.catalog import Catalog
from ..text.terms import terms

MAX_DOCS = 5     # documents one reply about "the article" covers when several are in scope


def docs_in_scope(catalog: Catalog, doc_ids: list[str] | None, named: str = "") -> list[Document]:
    """The documents searched; when the user names one ("the volcano article"), the ones whose
    title holds all the named words."""
    docs = [catalog.docs[d] for d in doc_ids if d in catalog.docs] if doc_ids else list(catalog.docs.values())
    wanted = set(terms(named))
    if wanted:
        titled = [d for d in docs if wanted <= set(terms(f"{d.title} {d.id}"))]
        docs = titled or docs
    return sorted(docs, key=lambda d: d.id)


def sentence_quote(catalog: Catalog, sentence: Sentence, score: float = 1.0) -> Quote:
    doc = catalog.docs[sentence.doc_id]
    return Quote(text=sentence.text, doc_id=doc.id, title=doc.title, start=sentence.span.start,
                 end=sentence.span.end, score=score, sentence=sentence.index)


def span_quote(doc: Document, span: Span) -> Quote:
    """A quote that is not an indexed sentence (a byline, a dateline): sentence -1."""
    return Quote(text=doc.text[span.start:span.end], doc_id=doc.id, title=doc.title, start=span.start,
                 end=span.end, score=1.0, sentence=-1)
