"""Validation at the API boundary: every argument a caller passes is checked here, before anything
is read or written, and a bad one raises a typed `AssistantError` with a one-line message."""
from __future__ import annotations

import re
from typing import Any, Iterable

from ..errors import InvalidDocumentError, InvalidQuestionError, InvalidRequestError
from .condense import message_text

# C0 and C1 control characters (tab, newline and carriage return are whitespace, not controls here).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SURROGATE = re.compile(r"[\ud800-\udfff]")
MAX_DOC_ID = 512


def check_question(question: Any, max_chars: int) -> str:
    if not isinstance(question, str) or not question.strip():
        raise InvalidQuestionError("the question is empty")
    if len(question) > max_chars:
        raise InvalidQuestionError(f"the question is {len(question):,} characters long; the limit is {max_chars:,}")
    if SURROGATE.search(question):
        raise InvalidQuestionError("the question is not valid text (it holds a lone UTF-16 surrogate; "
                                   "was it decoded from invalid UTF-8?)")
    if CONTROL.search(question):
        raise InvalidQuestionError("the question contains control characters")
    return " ".join(question.split())


MAX_QUOTES_PER_MESSAGE = 50


def check_history(history: Any, max_messages: int, max_chars: int) -> list[dict]:
    """The conversation as [{"role": "user"|"assistant", "content": str}], an assistant message
    optionally with the `quotes` it showed ([{"doc_id", "start", "end"}], as `Answer.as_message()`
    writes), cut to its last `max_messages` messages of at most `max_chars` characters each: a long
    history costs time for every user of the process, and only the last turns matter for a follow-up."""
    if history is None:
        return []
    if not isinstance(history, (list, tuple)):
        raise InvalidRequestError("history must be a list of {'role': ..., 'content': ...} messages")
    out = []
    for message in list(history)[-max_messages:]:
        if not isinstance(message, dict) or message.get("role") not in ("user", "assistant"):
            raise InvalidRequestError("each history message must be a dict with role 'user' or 'assistant'")
        text = message_text(message.get("content"))
        text = SURROGATE.sub("\ufffd", CONTROL.sub(" ", text))[-max_chars:]
        checked = {"role": message["role"], "content": text}
        if message["role"] == "assistant" and message.get("quotes") is not None:
            checked["quotes"] = _check_quotes(message["quotes"])
        out.append(checked)
    return out


def _check_quotes(quotes: Any) -> list[dict]:
    if not isinstance(quotes, (list, tuple)) or len(quotes) > MAX_QUOTES_PER_MESSAGE:
        raise InvalidRequestError(f"a message's quotes must be a list of at most {MAX_QUOTES_PER_MESSAGE}")
    out = []
    for q in quotes:
        ok = (isinstance(q, dict) and isinstance(q.get("doc_id"), str)
              and all(isinstance(q.get(k), int) and not isinstance(q.get(k), bool) for k in ("start", "end")))
        if not ok or not 0 <= q["start"] <= q["end"]:
            raise InvalidRequestError("each quote of a message must be {'doc_id': str, 'start': int, 'end': int}"
                                      " with 0 <= start <= end")
        out.append({"doc_id": q["doc_id"], "start": q["start"], "end": q["end"]})
    return out


def check_doc_id(doc_id: Any) -> str:
    """Any printable text up to 512 characters: a URL, the natural id of a news article, works."""
    if not isinstance(doc_id, str):
        raise InvalidDocumentError(f"a document id must be a string, not {type(doc_id).__name__}")
    if not doc_id.strip() or doc_id != doc_id.strip():
        raise InvalidDocumentError(f"invalid document id {doc_id!r}: empty, or space at either end")
    if len(doc_id) > MAX_DOC_ID:
        raise InvalidDocumentError(f"a document id is at most {MAX_DOC_ID} characters; this one has {len(doc_id):,}")
    if CONTROL.search(doc_id) or SURROGATE.search(doc_id) or not doc_id.isprintable():
        raise InvalidDocumentError(f"invalid document id {doc_id!r}: control or non-printable characters")
    return doc_id


def check_doc_ids(doc_ids: Any) -> list[str] | None:
    """None (all documents), one id, or a list of ids; each must be a string."""
    if doc_ids is None:
        return None
    if isinstance(doc_ids, str):
        return [doc_ids]
    if not isinstance(doc_ids, Iterable) or isinstance(doc_ids, (bytes, dict)):
        raise InvalidRequestError(f"doc_ids must be a list of document ids, not {type(doc_ids).__name__}")
    doc_ids = list(doc_ids)
    if not all(isinstance(d, str) for d in doc_ids):
        raise InvalidRequestError("doc_ids must be a list of document ids (strings)")
    return doc_ids


def check_title(title: Any) -> str | None:
    if title is None:
        return None
    if not isinstance(title, str):
        raise InvalidDocumentError(f"a title must be a string, not {type(title).__name__}")
    if SURROGATE.search(title) or CONTROL.search(title):
        raise InvalidDocumentError("the title holds control characters or lone surrogates")
    return " ".join(title.split())[:500] or None


def check_metadata(metadata: Any) -> dict[str, Any]:
    """A dict with non-empty string keys and string, number, boolean or JSON-able values."""
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        raise InvalidDocumentError(f"metadata must be a dict, not {type(metadata).__name__}")
    for key, value in metadata.items():
        if not isinstance(key, str) or not key.strip():
            raise InvalidDocumentError(f"metadata keys must be non-empty strings; got {key!r}")
        if isinstance(value, str) and SURROGATE.search(value):
            raise InvalidDocumentError(f"metadata {key!r} holds lone surrogates")
    try:
        import json

        json.dumps(metadata, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidDocumentError(f"metadata values must be strings, numbers, booleans or JSON: {exc}") from None
    return dict(metadata)
