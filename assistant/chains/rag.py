"""The whole chain in LCEL. history -> standalone question -> the registry names the request; a
fact question goes on to retrieve candidates -> answer step; a request about the document as a
whole (summary, author, mentions, "tell me more") goes to its handler."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Sequence, TypedDict

from langchain_core.runnables import Runnable, RunnableBranch, RunnableLambda

from ..answerers.base import AnswerStep
from ..retrievers.hybrid import HybridRetriever
from ..routing.registry import Router, detect
from ..schema import Answer, AnswerKind
from ..text.condense import condense
from ..text.entities import prefetch


class ChainInput(TypedDict, total=False):
    question: str
    history: list[dict[str, Any]]
    doc_ids: Sequence[str] | None
    viewing: str | None               # the document on screen (the chat)


def assign(key: str, step: Callable[[dict], Any]) -> Runnable[dict, dict]:
    """The input with `key` added: `RunnablePassthrough.assign` without its thread pool, which costs
    a few milliseconds per step for work that is not parallel."""
    return RunnableLambda(lambda x: {**x, key: step(x)}, name=key)


def is_fact(x: dict) -> bool:
    return x["intent"].kind == AnswerKind.FACT


@dataclass(frozen=True)
class Chains:
    route: Runnable[ChainInput, dict]     # the input with its standalone question, intent and documents
    respond: Runnable[dict, Answer]       # a routed input -> the answer
    fact_inputs: Runnable[dict, dict]     # a routed fact question -> the answer step's input

    @cached_property
    def answer(self) -> Runnable[ChainInput, Answer]:
        return (self.route | self.respond).with_types(input_type=ChainInput, output_type=Answer)


def standalone(x: dict) -> str:
    """The question standing alone, its parse started: the answer step needs the parse, which runs
    in a worker while the intent is read and the candidates are retrieved."""
    question = condense(x["question"], x.get("history"))
    prefetch(question)
    return question


def build_fact_inputs(retriever: HybridRetriever) -> Runnable[dict, dict]:
    """A routed fact question -> its candidates."""
    return assign("candidates", lambda x: retriever.search(x["standalone"], doc_ids=x.get("doc_ids")))


def build_chain(retriever: HybridRetriever, answer_step: AnswerStep, router: Router) -> Chains:
    route = (assign("standalone", standalone) | assign("intent", lambda x: detect(x["question"]))
             | assign("doc_ids", router.scope))
    fact_inputs = build_fact_inputs(retriever)
    fact = fact_inputs | RunnableLambda(answer_step, name="answer")
    whole = RunnableLambda(lambda x: router(x, fact.invoke), name="whole_article")
    return Chains(route, RunnableBranch((is_fact, fact), whole), fact_inputs)
