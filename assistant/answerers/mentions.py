"""Mentions: whether and where the documents name something ("Is X mentioned?"), and which names
they hold ("Which countries are mentioned?"), each name with the sentence that first has it."""
from __future__ import annotations

import re

from ..schema import Answer, AnswerKind, Sentence
from ..catalog.catalog import Catalog
from ..text.terms import terms
from ..text.entities import entities
from .base import Parts, Request
from .scope import MAX_DOCS, docs_in_scope, sentence_quote

MAX_QUOTES = 8
MAX_NAMES = 15


def _phrase(subject: str) -> re.Pattern:
    """The subject as a whole phrase; an all-capitals subject ("US") keeps its case."""
    flags = 0 if subject.isupper() else re.IGNORECASE
    return re.compile(rf"(?<!\w){re.escape(subject)}(?!\w)", flags)


class MentionsAnswerer:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def sentences(self, subject: str, doc_ids: list[str] | None) -> list[Sentence]:
        """Sentences that name the subject: its phrase, or all its content terms (stemmed)."""
        wanted = set(terms(subject))
        phrase = _phrase(subject)
        found = []
        for doc in docs_in_scope(self.catalog, doc_ids):
            for s in self.catalog.by_doc.get(doc.id, []):
                if phrase.search(s.text) or (wanted and wanted <= self.catalog.sentence_terms(s.id)):
                    found.append(s)
        return found

    def mentions(self, question: str, subject: str, doc_ids: list[str] | None) -> Answer:
        found = self.sentences(subject, doc_ids)
        if not found:
            return Answer(question=question, text=f"No, the article does not mention {subject}.",
                          kind=AnswerKind.NOT_MENTIONED)
        places = "once" if len(found) == 1 else f"in {len(found)} places"
        docs = {s.doc_id for s in found}
        where = "the article" if len(docs) == 1 else f"{len(docs)} documents"
        shown = "" if len(found) <= MAX_QUOTES else f" (the first {MAX_QUOTES} are quoted)"
        return Answer(question=question, text=f"Yes, {where} mentions {subject} {places}{shown}.",
                      quotes=[sentence_quote(self.catalog, s) for s in found[:MAX_QUOTES]], kind=AnswerKind.MENTIONS)

    def names(self, question: str, labels: tuple[str, ...], doc_ids: list[str] | None) -> Answer:
        first: dict[str, tuple[str, Sentence]] = {}     # lower-cased name -> (name, first sentence)
        for doc in docs_in_scope(self.catalog, doc_ids)[:MAX_DOCS]:   # every sentence is tagged: a few articles
            for s in self.catalog.by_doc.get(doc.id, []):
                for name, label, _, _ in entities(s.text):
                    name = re.sub(r"^(?:the|The)\s+|['’]s$", "", name).strip()
                    if label in labels and len(name) > 1 and name.lower() not in first:
                        first[name.lower()] = (name, s)
        # "Lim" after "Lim Sung-nam": the same person, named again.
        names = [(n, s) for key, (n, s) in first.items()
                 if not any(key != other and re.search(rf"\b{re.escape(key)}\b", other) for other in first)]
        if not names:
            return Answer(question=question, text="The article names none.", kind=AnswerKind.ENTITIES)
        names = names[:MAX_NAMES]
        sentences = sorted({s.id: s for _, s in names}.values(), key=lambda s: (s.doc_id, s.index))
        listing = "; ".join(f"{n} (sentence {s.index + 1})" for n, s in names)
        return Answer(question=question, text=f"Named in the article: {listing}.",
                      quotes=[sentence_quote(self.catalog, s) for s in sentences], kind=AnswerKind.ENTITIES)


class MentionsHandler:
    """ "Is X mentioned?"; "What does it say about X?" (soft) is a fact question when X is absent."""

    def __init__(self, parts: Parts) -> None:
        self.mentions = MentionsAnswerer(parts.catalog)

    def __call__(self, request: Request) -> Answer | None:
        intent = request.intent
        answer = self.mentions.mentions(request.question, intent.subject, request.doc_ids)
        return None if intent.soft and answer.kind == AnswerKind.NOT_MENTIONED else answer


class NamesHandler:
    """ "Who is mentioned?", "Which countries are named?"."""

    def __init__(self, parts: Parts) -> None:
        self.mentions = MentionsAnswerer(parts.catalog)

    def __call__(self, request: Request) -> Answer:
        return self.mentions.names(request.question, request.intent.labels, request.doc_ids)
