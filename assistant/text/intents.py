"""What a question asks for: a fact (the default) or something about the document as a whole.

Requests about the whole document have a small, closed grammar in English ("summarise it", "who
wrote this", "is X mentioned", "tell me more"), so they are matched by phrasing; every other
question is a fact question and goes to retrieval. One parser per request kind; the order they
are tried in is the registry's (`routing/registry.py`). The phrasings live in `text/en_requests.py`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from ..schema import AnswerKind
from . import en_requests as R
from .terms import normalise as normalise_chars
from .terms import tokens



@dataclass(frozen=True)
class Intent:
    kind: AnswerKind = AnswerKind.FACT
    subject: str = ""                 # MENTIONS: what to look for; SUMMARY: a document named; MORE: a topic
    field: str = ""                   # ABOUT: author, date, place, source or title
    labels: tuple[str, ...] = ()      # ENTITIES: the kinds of names asked for
    soft: bool = False                # MENTIONS phrased "what does it say about X": facts if X is absent
    offer: str = ""                   # FACT: a request it may have meant ("summary"), offered as a chip


# A parser reads one request kind: (the question normalised, as asked) -> its Intent, or None.
Parser = Callable[[str, str], "Intent | None"]


def normalise(question: str) -> str:
    q = normalise_chars(question).lower().strip()
    q = re.sub(r"\s+", " ", q)
    q = re.sub(r"^[\W_]+|[\s?.!…]+$", "", q)
    q = R.POLITE_START.sub("", q)
    q = R.POLITE_END.sub("", q)
    return q.strip(" ,?.!")


def detect(question: str, parsers: Sequence[Parser]) -> Intent:
    """The first parser's intent that reads the question; a fact question when none does."""
    q = normalise(question)
    if q:
        for parse in parsers:
            intent = parse(q, question)
            if intent is not None:
                return intent
    return Intent()


def source(q: str, question: str) -> Intent | None:
    """ "Which article says that?" (before ABOUT: with no answer yet it becomes the document's source)."""
    return Intent(AnswerKind.SOURCE) if any(p.match(q) for p in R.SOURCE_OF_ANSWER) else None


def about(q: str, question: str) -> Intent | None:
    for field, pattern in R.ABOUT_FIELDS:
        if pattern.match(q):
            return Intent(AnswerKind.ABOUT, field=field)
    return None


def _entity_labels(q: str, kind: str | None = None) -> tuple[str, ...]:
    """The labels of the names asked for: by the kind named ("countries"), else people for "who"."""
    kind = kind or next((t for t in tokens(q) if t in R.KIND_LABELS), None)
    return R.KIND_LABELS.get(kind or "", R.WHO_LABELS if q.startswith("who") else R.ALL_LABELS)


def named(q: str, question: str) -> Intent | None:
    for pattern in R.ENTITIES:
        m = pattern.match(q)
        if m:
            return Intent(AnswerKind.ENTITIES, labels=_entity_labels(q, m.groupdict().get("type")))
    return None


def mentions(q: str, question: str) -> Intent | None:
    for pattern in R.MENTIONS:
        m = pattern.match(q)
        if m and _strip_article(m.group("x")) and not re.fullmatch(R.DOC_OR_IT, m.group("x")):
            return Intent(AnswerKind.MENTIONS, subject=_original_case(question, _strip_article(m.group("x"))),
                          soft=pattern in R.MENTIONS_SOFT)
    return None


def more(q: str, question: str) -> Intent | None:
    for pattern in R.MORE:
        m = pattern.match(q)
        if m:
            groups = m.groupdict()
            return Intent(AnswerKind.MORE, subject=(groups.get("rest") or groups.get("about") or "").strip())
    return None


def summary(q: str, question: str) -> Intent | None:
    rest, found = q, False
    for cue in R.SUMMARY_CUES:
        rest, n = cue.subn(" ", rest)
        found = found or n > 0
    if not found:
        return None
    leftover = [t for t in tokens(rest) if t not in R.SUMMARY_FILLER]
    if leftover and not re.search(rf"\b{R.DOC}\b", rest):
        return None   # "What is the main issue between X and Y?" asks a fact; "Summarise the X article" does not
    return Intent(AnswerKind.SUMMARY, subject=" ".join(leftover))


def _strip_article(x: str) -> str:
    return re.sub(r"^(?:the|a|an|any)\s+", "", x.strip(" \"'")).strip()


def _original_case(question: str, lowered: str) -> str:
    """The subject as the user wrote it ("US", not "us"), found back in the question."""
    m = re.search(re.escape(lowered), normalise_chars(question), re.IGNORECASE)
    return m.group(0) if m else lowered


def mention_subject(question: str) -> str:
    """What "does the report bring X up" looks for, when no phrasing rule reads it: the question's
    last noun phrase that is not the document itself or a pronoun."""
    from .entities import parse

    chunks = [c for c in parse(question).noun_chunks
              if c.root.pos_ != "PRON" and not re.fullmatch(R.DOC_OR_IT, c.text.lower())]
    return _strip_article(chunks[-1].text) if chunks else ""


def from_label(label: str, question: str) -> Intent | None:
    """The intent for a classifier's label ("about:author", "mentions", …), its details read from the
    question; None when a detail it needs is not there (a mention with nothing to look for)."""
    kind, _, field = label.partition(":")
    kind = AnswerKind(kind)
    if kind == AnswerKind.ABOUT:
        return Intent(kind, field=field or "title")
    if kind == AnswerKind.ENTITIES:
        return Intent(kind, labels=_entity_labels(normalise(question)))
    if kind == AnswerKind.MENTIONS:
        subject = mention_subject(question)
        return Intent(kind, subject=subject) if subject else None
    return Intent(kind)
