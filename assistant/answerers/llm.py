"""A language-model answer step (any LangChain chat model) behind the same seam as the extractive one.

The model only picks sentence numbers; quotes are always the retrieved sentences themselves, so a
model that invents text cannot put it in a quote. Unparseable replies abstain.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import PromptTemplate

from ..schema import Answer
from ..settings import get_settings
from .base import AnswerInput


def load_prompt(name: str) -> PromptTemplate:
    path = Path(get_settings().prompts_dir) / f"{name}.md"
    return PromptTemplate.from_template(path.read_text(encoding="utf-8"))


class LLMAnswerer:
    def __init__(self, model: BaseChatModel, prompt: PromptTemplate | None = None, max_quotes: int = 3) -> None:
        self.chain = (prompt or load_prompt("answer")) | model | StrOutputParser()
        self.max_quotes = max_quotes

    def __call__(self, inputs: AnswerInput) -> Answer:
        docs = inputs["candidates"]
        numbered = "\n".join(f"[{i + 1}] {c.text}" for i, c in enumerate(docs))
        raw = self.chain.invoke({"sentences": numbered, "question": inputs["standalone"]})
        abstain = Answer(question=inputs["question"], text="", abstained=True,
                         standalone_question=inputs["standalone"])
        match = re.search(r"\{.*\}", raw, re.DOTALL)
        try:
            reply = json.loads(match.group(0)) if match else {}
        except json.JSONDecodeError:
            return abstain
        picks = [n for n in reply.get("quotes", []) if isinstance(n, int) and 1 <= n <= len(docs)]
        text = str(reply.get("answer", "")).strip()
        if not picks or not text:
            return abstain
        quotes = [docs[n - 1].quote(docs[n - 1].fused) for n in picks[: self.max_quotes]]
        return Answer(question=inputs["question"], text=text, quotes=quotes,
                      standalone_question=inputs["standalone"])
