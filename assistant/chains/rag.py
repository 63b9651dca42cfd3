"""The whole chain in LCEL: the intent decides the route. A fact question goes history ->
standalone question -> retrieve candidates -> answer step; a request about the document as a
whole (summary, author, mentions, "tell me more") goes to the whole-article answers."""
from __future__ import annotations

from typing import Any, Sequence, TypedDict

from langchain_core.runnables import Runnable, RunnableBranch, RunnableLambda, RunnablePassthrough

from ..answerers.base import AnswerStep
from ..answerers.whole_article import WholeArticleAnswerer
from ..retrievers.hybrid import HybridRetriever
from ..routing.intents import FACT, detect
from ..schema import Answer
from .condense import condense


class ChainInput(TypedDict, total=False):
    question: str
    history: list[dict[str, Any]]
    doc_ids: Sequence[str] | None


def build_fact_inputs(retriever: HybridRetriever) -> Runnable[ChainInput, dict]:
    """question + history -> the answer step's input: the standalone question and its candidates."""
    standalone = RunnableLambda(lambda x: condense(x["question"], x.get("history")), name="condense")
    retrieve = RunnableLambda(
        lambda x: retriever.search(x["standalone"], doc_ids=x.get("doc_ids")), name="retrieve")
    return RunnablePassthrough.assign(standalone=standalone) | RunnablePassthrough.assign(candidates=retrieve)


def build_chain(retriever: HybridRetriever, answer_step: AnswerStep,
                whole_article: WholeArticleAnswerer) -> Runnable[ChainInput, Answer]:
    fact = build_fact_inputs(retriever) | RunnableLambda(answer_step, name="answer")
    whole = RunnableLambda(lambda x: whole_article(x, fact.invoke), name="whole_article")
    return (
        RunnablePassthrough.assign(intent=RunnableLambda(lambda x: detect(x["question"]), name="intent"))
        | RunnableBranch((lambda x: x["intent"].kind == FACT, fact), whole)
    ).with_types(input_type=ChainInput, output_type=Answer)
