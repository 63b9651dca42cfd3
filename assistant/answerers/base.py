"""The answer step seam: anything that turns retrieved candidates into an `Answer`."""
from __future__ import annotations

from typing import NotRequired, Protocol, TypedDict

from ..retrievers.candidate import Candidate
from ..schema import Answer


class AnswerInput(TypedDict):
    question: str                  # as the user asked it
    standalone: str                # rewritten with the conversation's context
    candidates: list[Candidate]    # retrieved sentences with their scores, best first
    doc_ids: list[str] | None      # the documents searched (None: all)
    history: NotRequired[list[dict]]   # the conversation before the question


class AnswerStep(Protocol):
    def __call__(self, inputs: AnswerInput) -> Answer: ...
