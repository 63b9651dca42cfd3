"""The answer step seam: anything that turns retrieved sentences into an `Answer`."""
from __future__ import annotations

from typing import Protocol, TypedDict

from langchain_core.documents import Document as LCDocument

from ..schema import Answer


class AnswerInput(TypedDict):
    question: str          # as the user asked it
    standalone: str        # rewritten with the conversation's context
    documents: list[LCDocument]   # retrieved sentences, metadata: doc_id, title, sentence, start, end
    doc_ids: list[str] | None     # the documents searched (None: all)


class AnswerStep(Protocol):
    def __call__(self, inputs: AnswerInput) -> Answer: ...
