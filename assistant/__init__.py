"""Offline question answering over news articles, answering with verbatim, located quotes."""
from __future__ import annotations

from . import settings as _settings  # noqa: F401  (sets offline environment variables first)
from .errors import (AssistantError, BrokenIndexError, DocumentNotFoundError, FeedbackError, InvalidDocumentError,
                     InvalidQuestionError, InvalidRequestError, InvalidSettingError, OldIndexError,
                     StoreUnavailableError, UrlFetchError)
from .feedback.record import NOT_IN_ARTICLE
from .schema import Answer, AnswerKind, Document, Quote, Span

__all__ = ["Assistant", "Answer", "AnswerKind", "Quote", "Document", "Span", "answer", "AssistantError",
           "BrokenIndexError", "DocumentNotFoundError", "InvalidDocumentError", "InvalidQuestionError",
           "InvalidRequestError", "InvalidSettingError", "OldIndexError", "StoreUnavailableError", "UrlFetchError",
           "FeedbackError", "NOT_IN_ARTICLE"]

_default = None


def __getattr__(name):
    # Importing the service pulls in torch and Chroma; keep `import assistant` light.
    if name == "Assistant":
        from .service import Assistant
        return Assistant
    raise AttributeError(name)


def answer(question: str, history: list[dict] | None = None, doc_ids=None) -> Answer:
    """Answer with a cached default `Assistant` (the embedded index with the seeds)."""
    global _default
    if _default is None:
        from .service import Assistant
        _default = Assistant()
    return _default.answer(question, history=history, doc_ids=doc_ids)
