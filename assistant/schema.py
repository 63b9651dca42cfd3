"""Plain data types passed between pipeline stages."""
from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass, field, asdict
from enum import StrEnum
from typing import Any


@dataclass(frozen=True)
class Span:
    """Character offsets into a document's stored text: text[start:end]."""

    start: int
    end: int


@dataclass
class Document:
    id: str
    text: str
    title: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    # At ingest: the spans of `text` to index (the rest is title line, boilerplate, byline);
    # None indexes every paragraph but a byline and a date line. Not stored.
    indexed: list[Span] | None = field(default=None, repr=False, compare=False)


@dataclass
class Sentence:
    doc_id: str
    index: int          # sentence number within the document, 0-based
    span: Span
    text: str
    cut: bool = False   # cut at a word boundary from a long run with no sentence-ending mark
    # Its named entities, (text, label, start, end) in the sentence, found at ingest so that no
    # question waits for them; None in an index written before they were stored.
    entities: tuple[tuple[str, str, int, int], ...] | None = field(default=None, repr=False, compare=False)

    @property
    def id(self) -> str:
        return f"{self.doc_id}::{self.index}"


@dataclass
class Passage:
    """A span of one document with a vector of its own: consecutive sentences (about a paragraph,
    the context a sentence is read in), or a window of words inside one long sentence (first == last)."""

    doc_id: str
    index: int
    first: int          # first and last sentence number, inclusive
    last: int
    span: Span


@dataclass
class Quote:
    text: str
    doc_id: str
    title: str
    start: int
    end: int
    score: float = 0.0
    sentence: int = 0   # sentence number, 0-based; -1 for a line not indexed as a sentence (a byline)

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class AnswerKind(StrEnum):
    """What a request asks for and what its answer is: a fact with its quotes (the default), or a
    reply about the document as a whole. `routing/registry.py` maps each request kind to its
    handler; NOT_MENTIONED, UNCERTAIN and ABSTAINED are answers only."""

    FACT = "fact"
    SUMMARY = "summary"
    ABOUT = "about"              # author, date, place, source or title
    MENTIONS = "mentions"        # is X mentioned
    NOT_MENTIONED = "not_mentioned"
    ENTITIES = "entities"        # who / which places are named
    MORE = "more"                # tell me more
    SOURCE = "source"            # which article says that
    UNCERTAIN = "uncertain"      # not sure: the closest passages quoted as such, no answer claimed
    ABSTAINED = "abstained"      # not in the article: nothing relevant found


# The replies to a fact question: an answer, "not sure" or "not in the article".
FACT_REPLY_KINDS = frozenset({AnswerKind.FACT, AnswerKind.UNCERTAIN, AnswerKind.ABSTAINED})


_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~$])")


_AUTOLINK = re.compile(r"(?i)(?<=\w)(:)(?=//)|(?<=\bwww)(\.)|(@)(?=\w)")


def md_text(text: str) -> str:
    """Document text made inert in Markdown: HTML escaped (an article's `<img>` must not load),
    Markdown marks backslashed and the characters that autolink URLs written as entities, so the
    reader sees the characters the article holds and nothing becomes a link."""
    text = _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))
    return _AUTOLINK.sub(lambda m: f"&#{ord(m.group(0))};", text)


@dataclass
class Answer:
    question: str
    text: str
    quotes: list[Quote] = field(default_factory=list)
    abstained: bool = False
    standalone_question: str = ""
    kind: AnswerKind = AnswerKind.FACT
    model: str = ""       # the language model that wrote `text` ([n] cites quote n); "" when extractive
    notice: str = ""      # one line for the reader, e.g. why the language model's answer is not shown
    # For a fact question: the calibrated probability that the first quote answers it.
    confidence: float | None = None
    # Names this reply, e.g. for the feedback on it (one verdict per reply).
    id: str = field(default_factory=lambda: uuid.uuid4().hex, compare=False)

    NOT_FOUND = "The article does not say."
    NOT_SURE = "Not sure:"

    def __post_init__(self) -> None:
        kind = AnswerKind(self.kind)
        # "Not sure" claims no answer: it abstains, and keeps its quotes as the closest passages.
        if kind == AnswerKind.UNCERTAIN:
            self.abstained = True
        elif self.abstained:
            kind = AnswerKind.ABSTAINED
        self.kind = kind

    @property
    def closest(self) -> bool:
        """The quotes are the closest passages found, not an answer."""
        return self.kind == AnswerKind.UNCERTAIN

    def markdown(self) -> str:
        notice = [f"⚠️ *{md_text(self.notice)}*"] if self.notice else []
        if self.abstained and not self.closest:
            return "\n\n".join(notice + [f"**{self.NOT_FOUND}** I found no sentence that answers this question."])
        if self.closest:
            lead = f"**{self.NOT_SURE}** the article may not answer this. The closest passages:"
        # When the concise answer is the key sentence itself, the quote says it; no need to repeat.
        elif self.kind == AnswerKind.FACT and self.quotes and self.text == self.quotes[0].text:
            lead = "The article says:"
        elif self.model:     # written prose: not bold, its [n] refer to the numbered sources below
            lead = md_text(self.text)
        else:
            lead = "  \n".join(f"**{md_text(line)}**" for line in self.text.split("\n") if line.strip())
        parts = notice + [lead]
        for n, q in enumerate(self.quotes, 1):
            where = f", sentence {q.sentence + 1}" if q.sentence >= 0 else ""
            label = f"\\[{n}\\] " if self.model else ("closest: " if self.closest else "")
            parts.append(f"> {md_text(q.text)}\n>\n> — {label}*{md_text(q.title or q.doc_id)}*{where}"
                         f" (characters {q.start}–{q.end})")
        return "\n\n".join(parts)

    def as_message(self) -> dict[str, Any]:
        """The reply as a message of the conversation history: the Markdown shown, and the quotes
        as data ("tell me more" goes on from them)."""
        return {"role": "assistant", "content": self.markdown(), "kind": self.kind.value,
                "confidence": self.confidence,
                "quotes": [{"doc_id": q.doc_id, "start": q.start, "end": q.end} for q in self.quotes]}

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "question": self.question,
            "standalone_question": self.standalone_question,
            "kind": self.kind.value,
            "text": self.text,
            "abstained": self.abstained,
            "confidence": self.confidence,
            "quotes": [q.to_dict() for q in self.quotes],
            "model": self.model,
            "notice": self.notice,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Answer":
        """The reply `to_dict()` gave (e.g. sent back by a client with its feedback). Its quotes are
        not checked here: the service checks them against the stored documents."""
        quotes = [Quote(text=str(q["text"]), doc_id=str(q["doc_id"]), title=str(q.get("title", "")),
                        start=int(q["start"]), end=int(q["end"]), score=float(q.get("score", 0.0)),
                        sentence=int(q.get("sentence", 0))) for q in data.get("quotes") or []]
        confidence = data.get("confidence")
        values = {"question": str(data["question"]), "text": str(data.get("text", "")), "quotes": quotes,
                  "abstained": bool(data.get("abstained", False)), "kind": AnswerKind(data.get("kind", "fact")),
                  "standalone_question": str(data.get("standalone_question", "")),
                  "model": str(data.get("model", "")), "notice": str(data.get("notice", "")),
                  "confidence": None if confidence is None else float(confidence)}
        return cls(**values, **({"id": str(data["id"])} if data.get("id") else {}))
