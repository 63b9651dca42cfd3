"""The conversation going on: "Tell me more" / "What else did he say?" / "Why?" quote the next
most relevant sentences not quoted yet; "Which article says that?" names the last answer's source.

Earlier replies are read from the history's data: each assistant message carries the quotes it
showed (`Answer.as_message()`), found back in the store by document and offsets."""
from __future__ import annotations

from ..catalog.catalog import Catalog
from ..schema import Answer, AnswerKind, Sentence
from ..text.condense import condense, message_text
from ..text.intents import normalise
from .about import AboutAnswerer
from .base import Parts, Request
from .scope import sentence_quote
from .summary import Summarizer

PER_TURN = 2          # sentences a "tell me more" adds


def quoted_sentences(catalog: Catalog, history: list[dict], doc_ids: list[str] | None = None) -> list[list[Sentence]]:
    """For each assistant reply of the history, the stored sentences it quoted, in its order."""
    out = []
    for message in history:
        if message.get("role") != "assistant":
            continue
        found = []
        for quote in message.get("quotes") or ():
            if doc_ids and quote["doc_id"] not in doc_ids:
                continue
            sentence = catalog.sentence_at(quote["doc_id"], quote["start"], quote["end"])
            if sentence is not None:
                found.append(sentence)
        out.append(found)
    return out


class Continuation:
    def __init__(self, parts: Parts) -> None:
        self.catalog = parts.catalog
        self.retriever = parts.retriever
        self.detect = parts.detect
        self.rank = parts.rank
        self.summarizer = Summarizer(parts.catalog, parts.store)

    def _quoted(self, history: list[dict], doc_ids) -> tuple[list[Sentence], list[Sentence]]:
        """(every sentence quoted so far, those of the last reply that quoted any)."""
        replies = quoted_sentences(self.catalog, history, doc_ids)
        every = list({s.id: s for reply in replies for s in reply}.values())
        last = next((r for r in reversed(replies) if r), [])
        return every, list({s.id: s for s in last}.values())

    def more(self, request: Request) -> Answer | None:
        question, intent, history, doc_ids = request.question, request.intent, request.history, request.doc_ids
        # The last question that was not itself a "more": what the conversation is about.
        asked_before = [(i, message_text(m.get("content")), self.detect(message_text(m.get("content"))).kind)
                        for i, m in enumerate(history) if m.get("role") == "user"]
        topic, asked, asked_kind = next((x for x in reversed(asked_before) if x[2] != AnswerKind.MORE),
                                        (None, "", None))
        if topic is None:
            return None
        every, last = self._quoted(history, doc_ids)
        seen = frozenset(s.id for s in every)
        if asked_kind == AnswerKind.SUMMARY or not last:
            return self.summarizer(question, doc_ids, exclude=seen, kind=AnswerKind.MORE)
        scope = sorted({s.doc_id for s in last})
        if normalise(question).startswith(("why", "how come", "how so")):
            picked = self._around(last, seen)
        else:
            if intent.subject:      # "What else did he say?" -> "What did <the person> say?"
                query = condense(f"What did {intent.subject}?", history)
            else:
                query = condense(asked, history[:topic])
            found = [c for c in self.retriever.search(query, doc_ids=scope) if c.sentence.id not in seen]
            if self.rank is not None:
                found = self.rank(query, found, scope)
            # The best new match, then what follows the last quote (a speech goes on, a fact is explained).
            picked = list({s.id: s for s in [c.sentence for c in found[:1]] + self._around(last, seen)}.values())[:PER_TURN]
        if not picked:
            return Answer(question=question, text="That is all the article says about it.", kind=AnswerKind.MORE)
        doc = self.catalog.docs[picked[0].doc_id]
        return Answer(question=question, text=f"More from “{doc.title}”",
                      quotes=[sentence_quote(self.catalog, s) for s in sorted(picked, key=lambda s: (s.doc_id, s.index))],
                      kind=AnswerKind.MORE)

    def _around(self, last: list[Sentence], seen: frozenset[str]) -> list[Sentence]:
        """The sentences next to the last reply's first (best) quote, after it first (news explains
        after it states)."""
        anchor = last[0]
        doc = self.catalog.by_doc.get(anchor.doc_id, [])
        near = [i for d in (1, -1, 2, -2) for i in [anchor.index + d] if 0 <= i < len(doc)]
        return [doc[i] for i in near if doc[i].id not in seen][:PER_TURN]

    def source(self, request: Request) -> Answer | None:
        _, last = self._quoted(request.history, request.doc_ids)
        if not last:
            return None
        titles = list(dict.fromkeys(f"“{self.catalog.docs[s.doc_id].title}” ({s.doc_id})" for s in last))
        return Answer(question=request.question, text=f"That comes from {' and '.join(titles)}.",
                      quotes=[sentence_quote(self.catalog, s) for s in last], kind=AnswerKind.SOURCE)


class MoreHandler:
    """ "Tell me more"; with nothing to go on from, the gist."""

    def __init__(self, parts: Parts) -> None:
        self.continuation = Continuation(parts)

    def __call__(self, request: Request) -> Answer:
        return (self.continuation.more(request)
                or self.continuation.summarizer(request.question, request.doc_ids))


class SourceHandler:
    """ "Which article says that?"; with no answer yet, the document's source."""

    def __init__(self, parts: Parts) -> None:
        self.continuation = Continuation(parts)
        self.about = AboutAnswerer(parts.catalog)

    def __call__(self, request: Request) -> Answer:
        return self.continuation.source(request) or self.about(request.question, "source", request.doc_ids)
