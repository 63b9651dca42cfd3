"""Requests about the document as a whole, by intent: summary, about, mentions, names, more,
source. Where one cannot be served (a topic not in the text, nothing to continue) the fact answer
takes the question."""
from __future__ import annotations

from typing import Callable

from ..retrievers.hybrid import HybridRetriever
from ..routing.intents import ABOUT, ENTITIES, MENTIONS, MORE, SOURCE, SUMMARY, Intent
from ..schema import Answer
from ..store.base import SentenceStore
from ..store.catalog import Catalog
from .about import AboutAnswerer
from .continuation import Continuation, Ranker
from .mentions import MentionsAnswerer
from .scope import docs_in_scope
from .summary import Summarizer


class WholeArticleAnswerer:
    def __init__(self, catalog: Catalog, store: SentenceStore, retriever: HybridRetriever,
                 rank: Ranker | None = None) -> None:
        self.catalog = catalog
        self.summary = Summarizer(catalog, store)
        self.about = AboutAnswerer(catalog)
        self.mentions = MentionsAnswerer(catalog)
        self.continuation = Continuation(catalog, retriever, self.summary, rank)

    def __call__(self, inputs: dict, fact: Callable[[dict], Answer]) -> Answer:
        question, intent = inputs["question"], inputs["intent"]
        history, doc_ids = inputs.get("history") or [], inputs.get("doc_ids")
        answer = self._answer(question, intent, history, doc_ids)
        if answer is None:
            return fact(inputs)
        answer.standalone_question = answer.standalone_question or question
        return answer

    def _answer(self, question: str, intent: Intent, history: list[dict], doc_ids) -> Answer | None:
        if intent.kind == SUMMARY:
            if intent.subject:
                searched = docs_in_scope(self.catalog, doc_ids)
                if len(searched) > 1 and len(docs_in_scope(self.catalog, doc_ids, intent.subject)) == len(searched):
                    return None     # "summarise the X article" with no title naming X: a fact question
            return self.summary(question, doc_ids, intent.subject)
        if intent.kind == ABOUT:
            return self.about(question, intent.field, doc_ids)
        if intent.kind == ENTITIES:
            return self.mentions.names(question, intent.labels, doc_ids)
        if intent.kind == MENTIONS:
            answer = self.mentions.mentions(question, intent.subject, doc_ids)
            return None if intent.soft and answer.kind == "not_mentioned" else answer
        if intent.kind == MORE:
            return (self.continuation.more(question, intent, history, doc_ids)
                    or self.summary(question, doc_ids))   # nothing to go on from: start with the gist
        if intent.kind == SOURCE:
            return (self.continuation.source(question, history, doc_ids)
                    or self.about(question, "source", doc_ids))
        return None
