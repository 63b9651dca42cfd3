"""`GoldSetEvaluator`: asks a system every gold question and scores the replies."""
from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Protocol, Sequence

from ..errors import AssistantError
from ..schema import FACT_REPLY_KINDS, Answer, AnswerKind, Document
from . import metrics as M
from .gold import WHOLE_ARTICLE_KINDS, GoldItem


class AnsweringSystem(Protocol):
    def answer(self, question: str, history: list[dict] | None = None,
               doc_ids: Sequence[str] | None = None) -> Answer: ...

    def document(self, doc_id: str) -> Document: ...


@dataclass
class TurnResult:
    item_id: str
    kind: str
    turn: int
    question: str
    expected: list[str]
    evidence: list[str]
    answer: str
    abstained: bool
    quotes: list[dict[str, Any]]
    latency_ms: float
    first_text_ms: float = float("nan")   # until the first piece of the reply's text (a stream)
    supports: list[bool] = field(default_factory=list)
    verbatim: list[bool] = field(default_factory=list)
    error: str = ""
    reply_markdown: str = ""
    span_answers: bool = True   # answers are spans of the text (short-answer metrics apply)
    expects: str = "factual"    # the reply's kind the gold asks for: factual, unanswerable or a whole-article kind
    answer_kind: AnswerKind = AnswerKind.FACT   # the reply's `Answer.kind`
    written: bool = False       # the text was written by a language model (`Answer.model`)
    notice: str = ""            # e.g. why the language model's answer was not used
    confidence: float | None = None   # the reply's `Answer.confidence`

    @property
    def whole_article(self) -> bool:
        return self.expects in WHOLE_ARTICLE_KINDS

    @property
    def answerable(self) -> bool:
        """A fact question with an answer in the text (the fact metrics are about these)."""
        return self.expects not in ("unanswerable",) + WHOLE_ARTICLE_KINDS

    @property
    def intent_recognised(self) -> bool:
        return self.answer_kind == self.expects

    @property
    def claimed(self) -> bool:
        """The reply claims an answer (a confident one): neither "not sure" nor "not in the article"."""
        return not self.abstained

    @property
    def hard_abstained(self) -> bool:
        """'Not in the article': nothing claimed and nothing offered as the closest passage."""
        return self.answer_kind == AnswerKind.ABSTAINED and not self.quotes

    @property
    def right(self) -> bool:
        """The paired rule's reply accuracy: an answerable question is right when its first quote
        holds a gold sentence, an unanswerable one when the reply claims no answer."""
        if self.whole_article:
            return self.correct
        if not self.answerable:
            return not self.claimed
        return self.supports[:1] == [True]

    @property
    def correct(self) -> bool:
        if self.whole_article:
            return bool(self.intent_recognised and (not self.evidence or any(self.supports))
                        and (not self.expected or M.answer_contains(self.answer, self.expected)))
        if not self.answerable:
            return self.abstained
        return bool(self.supports[:1] == [True] and M.answer_contains(self.answer, self.expected))


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else float("nan")


def summarise(results: list[TurnResult]) -> dict[str, float]:
    answerable = [r for r in results if r.answerable]
    spans = [r for r in answerable if r.span_answers]
    unanswerable = [r for r in results if r.expects == "unanswerable"]
    whole = [r for r in results if r.whole_article]
    facts = [r for r in results if not r.whole_article]
    follow_ups = [r for r in answerable if r.kind == "conversation" and r.turn > 0]
    quoted = [r for r in answerable if r.quotes]
    all_quotes = [v for r in results for v in r.verbatim]
    latencies = [r.latency_ms for r in results]
    firsts = [r.first_text_ms for r in results if not math.isnan(r.first_text_ms)]
    return {
        "questions": len(results),
        "hit@1": _mean(r.supports[:1] == [True] for r in answerable),
        "hit@k": _mean(any(r.supports) for r in answerable),
        "mrr": _mean(M.reciprocal_rank(r.supports) for r in answerable),
        "quote_precision": _mean(_mean(r.supports) for r in quoted),
        "quote_chars": _mean(len(q["text"]) for r in results for q in r.quotes),
        "answer_contains": _mean(M.answer_contains(r.answer, r.expected) for r in spans),
        "answer_in_quote": _mean(bool(r.quotes) and M.answer_contains(r.quotes[0]["text"], r.expected)
                                 for r in spans),
        "answer_in_quotes": _mean(any(M.answer_contains(q["text"], r.expected) for q in r.quotes) for r in spans),
        "exact_match": _mean(M.exact_match(r.answer, r.expected) for r in spans),
        "f1": _mean(M.token_f1(r.answer, r.expected) for r in spans),
        # The short answers given: "not sure" replies give none on purpose (coverage counts those).
        "f1_claimed": _mean(M.token_f1(r.answer, r.expected) for r in spans if r.claimed),
        "abstain_unanswerable": _mean(r.abstained for r in unanswerable),
        "false_abstain": _mean(r.abstained for r in answerable),
        "reply_accuracy": _mean(r.right for r in results),
        "coverage": _mean(r.claimed for r in answerable),
        "confident_error": _mean(r.supports[:1] != [True] for r in answerable if r.claimed),
        "hard_false_abstain": _mean(r.hard_abstained for r in answerable),
        "confident_unanswerable": _mean(r.claimed for r in unanswerable),
        "closest_hit": _mean(r.supports[:1] == [True] for r in answerable if not r.claimed and r.quotes),
        "follow_up_hit@1": _mean(r.supports[:1] == [True] for r in follow_ups),
        "quote_fidelity": _mean(all_quotes) if all_quotes else 1.0,
        "whole_article_correct": _mean(r.correct for r in whole),
        "intent_recognised": _mean(r.intent_recognised for r in whole),
        "false_intent": _mean(r.answer_kind not in FACT_REPLY_KINDS for r in facts),
        "latency_p50_ms": M.percentile(latencies, 50),
        "latency_p95_ms": M.percentile(latencies, 95),
        "first_text_p50_ms": M.percentile(firsts, 50) if firsts else float("nan"),
        "errors": sum(bool(r.error) for r in results),
        "written": _mean(r.written for r in results if not r.abstained),
        "answer_words_in_quotes": _mean(M.words_in(r.answer, [q["text"] for q in r.quotes])
                                        for r in results if r.quotes and r.answer.strip()),

    }


@dataclass
class SystemResult:
    name: str
    results: list[TurnResult]

    @property
    def overall(self) -> dict[str, float]:
        return summarise(self.results)

    def by_kind(self) -> dict[str, dict[str, float]]:
        kinds = sorted({r.kind for r in self.results})
        return {k: summarise([r for r in self.results if r.kind == k]) for k in kinds}

    def failures(self) -> list[TurnResult]:
        return [r for r in self.results if not r.correct]

    def to_dict(self, failures: bool = True) -> dict[str, Any]:
        out = {"name": self.name, "overall": self.overall, "by_kind": self.by_kind()}
        if failures:
            out["failures"] = [asdict(r) for r in self.failures()]
        return out


class GoldSetEvaluator:
    """Evaluates any `AnsweringSystem` on a gold set: `GoldSetEvaluator(items).run(bot, "assistant")`."""

    def __init__(self, items: list[GoldItem], name: str = "gold", scoped: bool = False) -> None:
        self.items = items
        self.name = name
        self.scoped = scoped     # ask each item within its own document only (`doc_id`)

    @property
    def turn_count(self) -> int:
        """Questions asked in a run: conversation turns count one by one."""
        return sum(len(item.as_turns()) for item in self.items)

    def run(self, system: AnsweringSystem, name: str = "assistant",
            progress: Callable[[int], None] | None = None, warm_up: bool = True) -> SystemResult:
        first = next((t.question for item in self.items for t in item.as_turns()), None)
        if first and warm_up:   # latency figures are for a warm system
            try:
                system.answer(first)
            except AssistantError:
                pass
        results: list[TurnResult] = []
        for item in self.items:
            history: list[dict] = []
            for i, turn in enumerate(item.as_turns()):
                result = self._ask(system, item, i, turn, history)
                if not turn.context:      # a context turn only builds the conversation
                    results.append(result)
                # The reply as the chat keeps it: the Markdown shown and the quotes as data.
                history += [{"role": "user", "content": turn.question},
                            {"role": "assistant", "content": result.reply_markdown,
                             "quotes": [{k: q[k] for k in ("doc_id", "start", "end")} for q in result.quotes]}]
                if progress:
                    progress(1)
        return SystemResult(name, results)

    def _ask(self, system, item: GoldItem, i: int, turn, history) -> TurnResult:
        start = time.perf_counter()
        error, first_text = "", float("nan")
        try:
            doc_ids = [item.doc_id] if self.scoped and item.doc_id else None
            if hasattr(system, "stream"):     # the reply as a reader sees it arrive
                for piece in system.stream(turn.question, history=list(history), doc_ids=doc_ids):
                    if isinstance(piece, str) and first_text != first_text:
                        first_text = (time.perf_counter() - start) * 1000
                    reply = piece
            else:
                reply = system.answer(turn.question, history=list(history), doc_ids=doc_ids)
        except AssistantError as exc:
            reply, error = Answer(question=turn.question, text="", abstained=True), str(exc)
        latency = (time.perf_counter() - start) * 1000
        verbatim = []
        for q in reply.quotes:
            try:
                verbatim.append(system.document(q.doc_id).text[q.start:q.end] == q.text)
            except AssistantError:
                verbatim.append(False)
        return TurnResult(
            item_id=item.id, kind=item.kind, turn=i, question=turn.question, expected=turn.answers,
            evidence=turn.evidence, answer=reply.text, abstained=reply.abstained,
            quotes=[q.to_dict() for q in reply.quotes], latency_ms=latency, first_text_ms=first_text,
            supports=[M.supports(q.text, turn.evidence) for q in reply.quotes] if turn.evidence else [],
            verbatim=verbatim, error=error, reply_markdown=reply.markdown(),
            span_answers=item.answer_type == "span", expects=turn.kind, answer_kind=reply.kind,
            written=bool(reply.model), notice=reply.notice, confidence=reply.confidence)
