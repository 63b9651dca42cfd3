"""Plain data types passed between pipeline stages."""
from __future__ import annotations

from dataclasses import dataclass, field, asdict
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


@dataclass
class Sentence:
    doc_id: str
    index: int          # sentence number within the document, 0-based
    span: Span
    text: str

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
    sentence: int = 0   # sentence number, 0-based

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Answer:
    question: str
    text: str
    quotes: list[Quote] = field(default_factory=list)
    abstained: bool = False
    standalone_question: str = ""

    NOT_FOUND = "The article does not say."

    def markdown(self) -> str:
        if self.abstained:
            return f"**{self.NOT_FOUND}** I found no sentence that answers this question."
        # When the concise answer is the key sentence itself, the quote says it; no need to repeat.
        lead = "The article says:" if self.quotes and self.text == self.quotes[0].text else f"**{self.text}**"
        parts = [lead]
        for q in self.quotes:
            parts.append(f"> {q.text}\n>\n> — *{q.title or q.doc_id}*, sentence {q.sentence + 1}"
                         f" (characters {q.start}–{q.end})")
        return "\n\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "standalone_question": self.standalone_question,
            "text": self.text,
            "abstained": self.abstained,
            "quotes": [q.to_dict() for q in self.quotes],
        }
