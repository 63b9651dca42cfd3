"""Follow-up questions to offer under an answer, built from the article: the people its quotes name,
the people it quotes elsewhere, "tell me more". Each is asked before it is offered and kept only
when it brings a sentence the conversation has not quoted yet."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator

from ..answerers.scope import docs_in_scope
from ..catalog.catalog import Catalog
from ..schema import FACT_REPLY_KINDS, Answer, AnswerKind
from ..text import en
from ..text.entities import entities, parse
from ..text.intents import mention_subject
from .registry import detect

MAX_SUGGESTIONS = 3
MAX_SCANNED = 200     # sentences of a long article looked at for speakers
Ask = Callable[[str, list[dict]], Answer]


def _people(text: str) -> list[str]:
    return [re.sub(r"['’]s$", "", name) for name, label, _, _ in entities(text) if label == "PERSON"]


SAY = en.SAY_VERBS


def _speakers(text: str) -> list[str]:
    """People who say something in the sentence: the subject of a verb of saying."""
    out = []
    for token in parse(text):
        if token.lower_ in SAY:
            for child in token.children:
                if child.dep_ == "nsubj" and child.ent_type_ == "PERSON":
                    ent = next((e for e in child.doc.ents if e.start <= child.i < e.end), None)
                    if ent is not None:
                        out.append(re.sub(r"['’]s$", "", ent.text))
    return out


def candidate_questions(answer: Answer, catalog: Catalog, history: list[dict],
                        doc_ids: list[str] | None) -> list[str]:
    asked = " ".join(str(m.get("content", "")) for m in history if m.get("role") == "user") + " " + answer.question
    out: list[str] = []
    if answer.kind in (AnswerKind.ABSTAINED, AnswerKind.NOT_MENTIONED):
        out.append(en.ASK_ABOUT_ARTICLE)
    else:
        out.append(en.ASK_MORE)
    for quote in answer.quotes:
        out += [en.ASK_WHO.format(name=name) for name in _people(quote.text) if name not in asked]
    if answer.kind in (AnswerKind.SUMMARY, AnswerKind.ABOUT, AnswerKind.ABSTAINED):
        out.append(en.ASK_NAMED)
    quoted = {q.text for q in answer.quotes}
    # The article the answer quoted (else the first searched): people it quotes elsewhere.
    doc_id = answer.quotes[0].doc_id if answer.quotes else next((d.id for d in docs_in_scope(catalog, doc_ids)), None)
    if doc_id is not None:
        for s in catalog.by_doc.get(doc_id, [])[:MAX_SCANNED]:
            if s.text not in quoted and SAY & set(s.text.lower().split()):
                out += [en.ASK_SAID.format(name=name) for name in _speakers(s.text) if name not in asked]
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Offer:
    text: str      # the chip: "Summarise the article"
    label: str     # the classifier's label: "summary", "about:author", …


def request_offer(question: str, label: str) -> Offer | None:
    """Request `label` as a question of its own, for the question that meant it; None for
    "mentions" when the question names nothing to look for."""
    subject = mention_subject(question) if label == "mentions" else ""
    return None if label == "mentions" and not subject else Offer(en.OFFERS[label].format(subject=subject), label)


def offer_of(question: str) -> Offer | None:
    """The request the question may have meant, when the classifier was unsure."""
    label = detect(question).offer
    return request_offer(question, label) if label else None


def offered_request(question: str) -> str | None:
    offer = offer_of(question)
    return offer.text if offer else None


def suggestions(answer: Answer, catalog: Catalog, history: list[dict], doc_ids: list[str] | None,
                ask: Ask, limit: int = MAX_SUGGESTIONS, budget: int = 8) -> Iterator[str]:
    """Questions whose answers quote something new, each yielded as soon as it has been asked, so a
    caller can show them one by one and stop asking (the next question came) between two; at most
    `limit` kept of `budget` tried. First, the request the question may have meant, kept when it
    gets an answer."""
    turn = [{"role": "user", "content": answer.question}, answer.as_message()]
    history = list(history) + turn
    kept: list[str] = []
    offer = offered_request(answer.question) if answer.kind in FACT_REPLY_KINDS else None
    if offer:
        reply = ask(offer, history)
        if reply.kind not in (AnswerKind.ABSTAINED, AnswerKind.UNCERTAIN, AnswerKind.NOT_MENTIONED, AnswerKind.FACT):
            kept.append(offer)
            yield offer
    docs = catalog.docs
    seen = {docs[q["doc_id"]].text[q["start"]:q["end"]] for m in history if m.get("role") == "assistant"
            for q in m.get("quotes") or () if q["doc_id"] in docs}
    for question in candidate_questions(answer, catalog, history[:-2], doc_ids)[:budget]:
        if len(kept) == limit:
            return
        if question in kept:
            continue
        reply = ask(question, history)
        if reply.kind in (AnswerKind.ABSTAINED, AnswerKind.UNCERTAIN, AnswerKind.NOT_MENTIONED) or not any(q.text not in seen for q in reply.quotes):
            continue
        kept.append(question)
        yield question
