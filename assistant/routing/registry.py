"""The registry: every request kind with the parser that recognises it and the handler that
answers it, in the order requests are recognised. A question no parser reads is a fact question
(retrieval and the answer step). Adding a kind: its phrasing in `text/en_requests.py`, its handler
(and parser) in one file of `answerers/`, a member of `AnswerKind` and a row here."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..answerers.about import AboutHandler
from ..answerers.base import Handler, Parts, Ranker, Request
from ..answerers.continuation import MoreHandler, SourceHandler
from ..answerers.mentions import MentionsHandler, NamesHandler
from ..answerers.summary import SummaryHandler
from ..catalog.catalog import Catalog
from ..retrievers.hybrid import HybridRetriever
from ..schema import Answer, AnswerKind
from ..store.base import SentenceStore
from ..text import intents
from ..text.intent_classifier import IntentClassifier
from ..text.intents import Intent, Parser


@dataclass(frozen=True)
class Route:
    kind: AnswerKind
    parse: Parser
    handler: Callable[[Parts], Handler]
    on_screen: bool = False     # in the chat, "the article" is the one on screen


ROUTES = (
    Route(AnswerKind.SOURCE, intents.source, SourceHandler),   # before ABOUT: "where is that from?"
    Route(AnswerKind.ABOUT, intents.about, AboutHandler, on_screen=True),
    Route(AnswerKind.ENTITIES, intents.named, NamesHandler),
    Route(AnswerKind.MENTIONS, intents.mentions, MentionsHandler),
    Route(AnswerKind.MORE, intents.more, MoreHandler),
    Route(AnswerKind.SUMMARY, intents.summary, SummaryHandler, on_screen=True),
)
BY_KIND = {route.kind: route for route in ROUTES}
PARSERS = tuple(route.parse for route in ROUTES)


def rule_intent(question: str) -> Intent:
    """The intent the phrasing rules read (FACT when none does)."""
    return intents.detect(question, PARSERS)


CLASSIFIER = IntentClassifier()
OFFER = 0.25        # a request this likely, though not sure, is offered as a follow-up chip


def detect(question: str) -> Intent:
    """The phrasing rules where they read the question (they are precise: none of the 3,017
    questions of the shared QA sets is taken for a request); else the classifier's reading when it
    is sure. An unsure reading answers the question as a fact and offers the request."""
    rule = rule_intent(question)
    if rule.kind != AnswerKind.FACT:
        return rule
    reading = CLASSIFIER.read(question)
    if reading.label != "fact" and reading.probability >= CLASSIFIER.sure:
        found = intents.from_label(reading.label, question)
        if found is not None:
            return found
    if reading.request_probability >= OFFER:
        return Intent(offer=reading.best_request)
    return Intent()


class Router:
    """The handlers, built once over the shared parts; `__call__` answers a routed request or
    hands it to the fact answer."""

    def __init__(self, catalog: Catalog, store: SentenceStore, retriever: HybridRetriever,
                 rank: Ranker | None = None) -> None:
        self.catalog = catalog
        parts = Parts(catalog=catalog, store=store, retriever=retriever, detect=detect, rank=rank)
        self.handlers = {route.kind: route.handler(parts) for route in ROUTES}

    def warm_up(self) -> None:
        CLASSIFIER.warm_up()

    def scope(self, inputs: dict) -> list[str] | None:
        """The documents searched: the one on screen for a request about "the article"."""
        route, viewing = BY_KIND.get(inputs["intent"].kind), inputs.get("viewing")
        if route is not None and route.on_screen and viewing in self.catalog.docs:
            return [viewing]
        return inputs.get("doc_ids")

    def __call__(self, inputs: dict, fact: Callable[[dict], Answer]) -> Answer:
        question = inputs["question"]
        request = Request(question, inputs["intent"], inputs.get("history") or [], inputs.get("doc_ids"))
        answer = self.handlers[request.intent.kind](request)
        if answer is None:
            return fact(inputs)
        answer.standalone_question = answer.standalone_question or question
        return answer
