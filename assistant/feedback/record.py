"""A person's verdict on one reply, written as a gold item: what they marked is what a later
reply is held to."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ..errors import FeedbackError
from ..schema import Answer, AnswerKind

VERDICTS = ("up", "down")
# `evidence=NOT_IN_ARTICLE`: the person says the article does not answer the question.
NOT_IN_ARTICLE = "unanswerable"
MAX_ANSWER_TEXT = 500


@dataclass(frozen=True)
class Evidence:
    """The passage a person marked as the right one: an exact slice of a stored document."""

    doc_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Label:
    kind: str                   # a gold kind: factual, unanswerable, or a whole-article kind
    answers: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    answer_type: str = "span"   # "sentence": no short answer was given, the sentence stands for it

    @property
    def usable(self) -> bool:
        """Enough to score a reply by (a thumbs down with nothing marked is not)."""
        return self.kind != "factual" or bool(self.evidence)


def reply_label(answer: Answer, answer_text: str = "") -> Label:
    """What the reply claimed, as a label: the label a thumbs up confirms."""
    kind = answer.kind
    if kind in (AnswerKind.UNCERTAIN, AnswerKind.ABSTAINED):
        return Label("unanswerable")
    if kind == AnswerKind.FACT:
        if not answer.quotes:
            return Label("factual")
        return Label("factual", (answer_text or answer.text,), (answer.quotes[0].text,))
    answers = (answer_text or answer.text,) if kind == AnswerKind.ABOUT else ((answer_text,) if answer_text else ())
    return Label(kind.value, answers)


def marked_label(evidence: Evidence | str | None, answer_text: str) -> Label:
    """What the person marked: a passage, "not in the article", or nothing."""
    if evidence == NOT_IN_ARTICLE:
        return Label("unanswerable")
    if isinstance(evidence, Evidence):
        if answer_text:
            return Label("factual", (answer_text,), (evidence.text,))
        return Label("factual", (evidence.text,), (evidence.text,), "sentence")
    return Label("factual", (answer_text,) if answer_text else ())


def feedback_record(answer: Answer, verdict: str, *, evidence: Evidence | str | None = None,
                    answer_text: str | None = None, history: list[dict] | None = None,
                    doc_id: str | None = None, index_version: str = "",
                    now: datetime | None = None) -> dict[str, Any]:
    """One JSONL record in the gold format, with the verdict and the reply it is about."""
    if verdict not in VERDICTS:
        raise FeedbackError(f"verdict must be 'up' or 'down', not {str(verdict)[:20]!r}")
    answer_text = " ".join((answer_text or "").split())
    if len(answer_text) > MAX_ANSWER_TEXT:
        raise FeedbackError(f"the short answer is {len(answer_text):,} characters; at most {MAX_ANSWER_TEXT} are kept")
    if evidence is not None and evidence != NOT_IN_ARTICLE and not isinstance(evidence, Evidence):
        raise FeedbackError("evidence must be a passage of a stored document or 'unanswerable'")
    if evidence is not None or verdict == "down":
        label = marked_label(evidence, answer_text)
    else:
        label = reply_label(answer, answer_text)
    final = {"question": answer.question, "kind": label.kind, "answers": list(label.answers),
             "evidence": list(label.evidence)}
    asked_before = [m["content"] for m in history or [] if m.get("role") == "user" and isinstance(m.get("content"), str)]
    record: dict[str, Any] = {"id": f"fb-{answer.id}"}
    if asked_before:
        record |= {"kind": "conversation", "question": answer.question,
                   "turns": [{"question": q, "context": True} for q in asked_before] + [final]}
    else:
        record |= final
    if label.answer_type != "span":
        record["answer_type"] = label.answer_type
    record |= {
        "doc_id": doc_id,
        "verdict": verdict,
        "labelled": label.usable,
        "answer_text": answer_text or None,
        "evidence_span": ({"doc_id": evidence.doc_id, "start": evidence.start, "end": evidence.end}
                          if isinstance(evidence, Evidence) else None),
        "reply": {"id": answer.id, "kind": answer.kind.value, "text": answer.text, "abstained": answer.abstained,
                  "confidence": answer.confidence,
                  "quotes": [{"doc_id": q.doc_id, "start": q.start, "end": q.end, "text": q.text}
                             for q in answer.quotes]},
        "time": (now or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
        "index_version": index_version,
    }
    return record
