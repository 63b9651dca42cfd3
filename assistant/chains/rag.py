"""The whole chain in LCEL: history -> standalone question -> retrieve candidates -> answer step."""
from __future__ import annotations

from typing import Any, Sequence, TypedDict

from langchain_core.runnables import Runnable, RunnableLambda, RunnablePassthrough

from ..answerers.base import AnswerStep
from ..retrievers.hybrid import HybridRetriever
from ..schema import Answer
from .condense import condense


class ChainInput(TypedDict, total=False):
    question: str
    history: list[dict[str, Any]]
    doc_ids: Sequence[str] | None


def build_chain(retriever: HybridRetriever, answer_step: AnswerStep) -> Runnable[ChainInput, Answer]:
    standalone = RunnableLambda(lambda x: condense(x["question"], x.get("history")), name="condense")
    retrieve = RunnableLambda(
        lambda x: retriever.search(x["standalone"], doc_ids=x.get("doc_ids")), name="retrieve")
    return (
        RunnablePassthrough.assign(standalone=standalone)
        | RunnablePassthrough.assign(candidates=retrieve)
        | RunnableLambda(answer_step, name="answer")
    ).with_types(input_type=ChainInput, output_type=Answer)
