"""A request a person took from the chips under a reply: what their question meant. When the intent
classifier is unsure, the question is answered as a fact and the request it may have meant is
offered ("Summarise the article"); taking it labels the question with that request, in that
person's own words. A request the classifier missed with confidence is never offered: the person
names it in the 👎 panel instead ("correction"). These records are phrasings for retraining the
classifier, not gold answers."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from ..errors import FeedbackError
from ..schema import Answer
from ..text.en import OFFERS

# The classifier's request labels ("about" carries its field): one chip text each.
REQUEST_LABELS = tuple(OFFERS)
# How the request was said: the offered chip taken, or named in the 👎 panel.
REQUEST_SOURCES = ("offer", "correction")


def check_label(label: str) -> str:
    if label not in REQUEST_LABELS:
        raise FeedbackError(f"unknown request {str(label)[:40]!r}; one of: {', '.join(REQUEST_LABELS)}")
    return label


def request_record(answer: Answer, label: str, *, history: list[dict] | None = None, source: str = "offer",
                   index_version: str = "", now: datetime | None = None) -> dict[str, Any]:
    """One JSONL record: the question as asked, the request it meant, in the format of the intent
    phrasing sets (`kind`, and `field` for "about"), with the reply it was given and the questions
    before it (a follow-up such as "and who wrote it?" may need them to be read)."""
    check_label(label)
    if source not in REQUEST_SOURCES:
        raise FeedbackError(f"unknown request source {str(source)[:40]!r}; one of: {', '.join(REQUEST_SOURCES)}")
    kind, _, field = label.partition(":")
    asked_before = [m["content"] for m in history or [] if m.get("role") == "user" and isinstance(m.get("content"), str)]
    record: dict[str, Any] = {"id": f"rq-{answer.id}", "question": answer.question, "kind": kind}
    if field:
        record["field"] = field
    return record | {
        "source": source,
        "context": asked_before,
        "reply_kind": answer.kind.value,
        "time": (now or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
        "index_version": index_version,
    }


def record_label(record: dict[str, Any]) -> str | None:
    """The request label of a stored record, or None when it is not a request record."""
    if not isinstance(record.get("question"), str) or not isinstance(record.get("kind"), str):
        return None
    label = record["kind"] + (f":{record.get('field')}" if record["kind"] == "about" else "")
    return label if label in REQUEST_LABELS else None
