"""The conversation going on: "Tell me more" / "What else did he say?" / "Why?" quote the next
most relevant sentences not quoted yet; "Which article says that?" names the last answer's source.

The conversation is read from the history the caller passes (the chat's Markdown replies): quoted
lines are found back in the store, so a program, `/chat` and the UI behave the same."""
from __future__ import annotations

import html
import re
from typing import Callable, Sequence

from ..chains.condense import condense, message_text
from ..retrievers.candidate import Candidate
from ..retrievers.hybrid import HybridRetriever
from ..routing.intents import MORE, SUMMARY, Intent, detect, normalise
from ..schema import Answer, Sentence
from ..store.catalog import Catalog
from .scope import sentence_quote
from .summary import Summarizer

_QUOTE_LINE = re.compile(r"^> (?!—)(.+)$", re.MULTILINE)
_UNESCAPE = re.compile(r"\\([\\`*_\[\]#|~$])")
PER_TURN = 2          # sentences a "tell me more" adds
Ranker = Callable[[str, Sequence[Candidate], list[str] | None], list[Candidate]]


def quoted_lines(content) -> list[str]:
    """The quotes of one assistant reply in the Markdown `Answer.markdown()` writes."""
    return [html.unescape(_UNESCAPE.sub(r"\1", m.group(1))).strip()
            for m in _QUOTE_LINE.finditer(message_text(content))]


class Continuation:
    def __init__(self, catalog: Catalog, retriever: HybridRetriever, summarizer: Summarizer,
                 rank: Ranker | None = None) -> None:
        self.catalog = catalog
        self.retriever = retriever
        self.summarizer = summarizer
        self.rank = rank

    def _sentences(self, texts: list[str], doc_ids: list[str] | None) -> list[Sentence]:
        """The stored sentences with these texts, in the order of `texts`."""
        order = {t: i for i, t in reversed(list(enumerate(texts)))}
        found = [s for s in self.catalog.sentences if s.text in order and (not doc_ids or s.doc_id in doc_ids)]
        return sorted(found, key=lambda s: order[s.text])

    def _quoted(self, history: list[dict], doc_ids) -> tuple[list[Sentence], list[Sentence]]:
        """(every sentence quoted so far, those of the last reply that quoted any)."""
        replies = [quoted_lines(m.get("content")) for m in history if m.get("role") == "assistant"]
        every = self._sentences([t for r in replies for t in r], doc_ids)
        last = next((r for r in reversed(replies) if r), [])
        return every, self._sentences(last, doc_ids)

    def more(self, question: str, intent: Intent, history: list[dict], doc_ids: list[str] | None) -> Answer | None:
        # The last question that was not itself a "more": what the conversation is about.
        asked_before = [(i, message_text(m.get("content")), detect(message_text(m.get("content"))).kind)
                        for i, m in enumerate(history) if m.get("role") == "user"]
        topic, asked, asked_kind = next((x for x in reversed(asked_before) if x[2] != MORE), (None, "", None))
        if topic is None:
            return None
        every, last = self._quoted(history, doc_ids)
        seen = frozenset(s.id for s in every)
        if asked_kind == SUMMARY or not last:
            return self.summarizer(question, doc_ids, exclude=seen, kind="more")
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
            return Answer(question=question, text="That is all the article says about it.", kind="more")
        doc = self.catalog.docs[picked[0].doc_id]
        return Answer(question=question, text=f"More from “{doc.title}”",
                      quotes=[sentence_quote(self.catalog, s) for s in sorted(picked, key=lambda s: (s.doc_id, s.index))],
                      kind="more")

    def _around(self, last: list[Sentence], seen: frozenset[str]) -> list[Sentence]:
        """The sentences next to the last reply's first (best) quote, after it first (news explains
        after it states)."""
        anchor = last[0]
        doc = self.catalog.by_doc.get(anchor.doc_id, [])
        near = [i for d in (1, -1, 2, -2) for i in [anchor.index + d] if 0 <= i < len(doc)]
        return [doc[i] for i in near if doc[i].id not in seen][:PER_TURN]

    def source(self, question: str, history: list[dict], doc_ids: list[str] | None) -> Answer | None:
        _, last = self._quoted(history, doc_ids)
        if not last:
            return None
        titles = list(dict.fromkeys(f"“{self.catalog.docs[s.doc_id].title}” ({s.doc_id})" for s in last))
        return Answer(question=question, text=f"That comes from {' and '.join(titles)}.",
                      quotes=[sentence_quote(self.catalog, s) for s in last], kind="source")
