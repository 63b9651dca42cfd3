"""The seams of the answer layer: the answer step (retrieved candidates -> `Answer`) and the
handlers of requests about a document as a whole, with what they are given."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterator, NotRequired, Protocol, Sequence, TypedDict, runtime_checkable

from ..catalog.catalog import Catalog
from ..retrievers.candidate import Candidate
from ..retrievers.hybrid import HybridRetriever
from ..schema import Answer
from ..store.base import SentenceStore
from ..text.intents import Intent


class AnswerInput(TypedDict):
    question: str                  # as the user asked it
    standalone: str                # rewritten with the conversation's context
    candidates: list[Candidate]    # retrieved sentences with their scores, best first
    doc_ids: list[str] | None      # the documents searched (None: all)
    history: NotRequired[list[dict]]   # the conversation before the question


class AnswerStep(Protocol):
    def __call__(self, inputs: AnswerInput) -> Answer: ...


@runtime_checkable
class StreamingAnswerStep(AnswerStep, Protocol):
    """An answer step that writes its reply: pieces of text, then the final `Answer`."""

    def stream(self, inputs: AnswerInput) -> Iterator[str | Answer]: ...


# Candidates of a question best first by the learned ranker (for "tell me more": no abstention).
Ranker = Callable[[str, Sequence[Candidate], list[str] | None], list[Candidate]]


@dataclass(frozen=True)
class Parts:
    """What a handler is built from."""

    catalog: Catalog
    store: SentenceStore
    retriever: HybridRetriever
    detect: Callable[[str], Intent]      # the registry's, for the questions earlier in the conversation
    rank: Ranker | None = None


@dataclass(frozen=True)
class Request:
    question: str
    intent: Intent
    history: list[dict] = field(default_factory=list)   # checked messages; replies carry their quotes
    doc_ids: list[str] | None = None


class Handler(Protocol):
    """Answers one request kind; None hands the question to the fact answer."""

    def __call__(self, request: Request) -> Answer | None: ...
