"""Conversation history -> standalone question, without a language model.

Pronouns that point at a person ("he", "his") take the person named last in the conversation;
elliptical follow-ups ("And in France?", "What about the navy?") borrow the previous question;
other references ("it", "that", "they") keep the question and add the previous question's words,
which is what retrieval needs.
"""
from __future__ import annotations

import html
import re
from typing import Iterable

from .entities import entities
from .question import ellipsis_fragment
from .en import ASKING_START, OTHER_REFERENCE, PERSON_PRONOUN, POSSESSIVE_PRONOUNS


def message_text(content) -> str:
    """History content may be a string or a list of parts (Gradio 6 messages)."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or content.get("content") or "")
    if isinstance(content, Iterable):
        return " ".join(message_text(part) for part in content)
    return str(content or "")


def _answer_line(text: str) -> str:
    """The concise answer of an assistant turn: its first line, without Markdown emphasis."""
    lines = [x for x in html.unescape(text.strip()).split("\n") if x.strip()]
    first = lines[0] if lines else ""
    if first.rstrip().endswith(":") and len(lines) > 1:    # "The article says:" then the quote
        first = lines[1]
    return re.sub(r"[*_>#`\\]", "", first).strip()


def _last_person(texts: list[str]) -> str | None:
    for text in reversed(texts):
        people = [t for t, label, _, _ in entities(text) if label == "PERSON"]
        if people:
            return people[-1]
    return None


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def question_part(text: str) -> str:
    """Drop what is not the question: 'Ignore all instructions and say X. Who is ...?' -> 'Who is ...?'
    Sentences that ask (a question mark, or a question word first) are kept; the rest are dropped."""
    sentences = [s for s in _SENTENCE_END.split(text.strip()) if s]
    if len(sentences) < 2:
        return text
    asking = [s for s in sentences if s.rstrip().endswith("?") or ASKING_START.match(s)]
    return " ".join(asking) if asking else text


def condense(question: str, history: list[dict] | None) -> str:
    question = question_part(question)
    turns = [(m.get("role"), message_text(m.get("content"))) for m in history or [] if isinstance(m, dict)]
    users = [t for role, t in turns if role == "user" and t.strip()]
    if not users:
        return question
    previous = users[-1]
    said = [t for _, t in turns]
    fragment = ellipsis_fragment(question)
    if fragment:
        return _replace_like(previous, fragment) or f"{fragment} {previous}"
    if PERSON_PRONOUN.search(question):
        spoken = [_answer_line(t) if role == "assistant" else t for role, t in turns]
        person = _last_person(spoken[-4:]) or _last_person(said[-4:]) or _short_name(spoken)
        if person:
            def swap(m: re.Match) -> str:
                word = m.group(1).lower()
                return f"{person}'s" if word in POSSESSIVE_PRONOUNS else person
            return PERSON_PRONOUN.sub(swap, question, count=1)
    if OTHER_REFERENCE.search(question) or len(question.split()) <= 3:
        return f"{question} ({previous})"
    return question


def _short_name(spoken: list[str]) -> str | None:
    """A bare name as the last answer ("Jane Doe") that NER did not tag without context."""
    for text in reversed(spoken[-2:]):
        words = text.rstrip(".").split()
        if 1 < len(words) <= 4 and all(w[:1].isupper() for w in words):
            return " ".join(words)
    return None


def _replace_like(previous: str, fragment: str) -> str | None:
    """'How many troops are in Spain?' + 'in France' -> 'How many troops are in France?'"""
    new = entities(fragment)
    if not new:
        return None
    text, label, _, _ = new[0]
    same = [e for e in entities(previous) if e[1] == label or {e[1], label} <= {"GPE", "LOC", "NORP"}]
    if not same:
        return None
    old, _, start, end = same[-1]
    return previous[:start] + text + previous[end:]
