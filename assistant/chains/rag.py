"""The whole chain in LCEL: the intent decides the route. A fact question goes history ->
standalone question -> retrieve candidates -> answer step; a request about the document as a
whole (summary, author, mentions, "tell me more") goes to the whole-article answers."""
from __future__ import annotations

from typing import Any, Callable, Sequence, TypedDict

from langchain_core.runnables import Runnable, RunnableBranch, RunnableLambda

from ..answerers.base import AnswerStep
from ..answerers.entities import prefetch
from ..answerers.whole_article import WholeArticleAnswerer
from ..retrievers.hybrid import HybridRetriever
from ..routing.intents import FACT, detect
from ..schema import Answer
from .condense import condense


class ChainInput(TypedDict, total=False):
    question: str
    history: list[dict[str, Any]]
    doc_ids: Sequence[str] | None


def assign(key: str, step: Callable[[dict], Any]) -> Runnable[dict, dict]:
    """The input with `key` added: `RunnablePassthrough.assign` without its thread pool, which costs
    a few milliseconds per step for work that is not parallel."""
    return RunnableLambda(lambda x: {**x, key: step(x)}, name=key)


def build_fact_inputs(retriever: HybridRetriever) -> Runnable[ChainInput, dict]:
    """question + history -> the answer step's input: the standalone question and its candidates."""
    def retrieve(x: dict):
        prefetch(x["standalone"])    # the answer step's parse of it, done while retrieval runs
        return retriever.search(x["standalone"], doc_ids=x.get("doc_ids"))

    return (assign("standalone", lambda x: condense(x["question"], x.get("history")))
            | assign("candidates", retrieve))


def build_chain(retriever: HybridRetriever, answer_step: AnswerStep,
                whole_article: WholeArticleAnswerer) -> Runnable[ChainInput, Answer]:
    fact = build_fact_inputs(retriever) | RunnableLambda(answer_step, name="answer")
    whole = RunnableLambda(lambda x: whole_article(x, fact.invoke), name="whole_article")
    return (
        assign("intent", lambda x: detect(x["question"]))
        | RunnableBranch((lambda x: x["intent"].kind == FACT, fact), whole)
    ).with_types(input_type=ChainInput, output_type=Answer)
