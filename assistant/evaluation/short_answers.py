"""`ShortAnswerEvaluator`: the short-answer step alone, given each question's gold sentence.

Retrieval and abstention are left out, so a change to the reader or to the short-answer rules is
measured on its own (SQuAD token F1 and exact match against the gold answers)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from . import metrics as M
from .datasets import Article

ShortAnswer = Callable[[str, str], str]    # (question, sentence) -> short answer


@dataclass
class ShortAnswerEvaluator:
    articles: Sequence[Article]

    def items(self):
        for article in self.articles:
            for item in article.items:
                if item.kind == "factual" and item.answers and item.evidence and item.answer_type == "span":
                    yield item

    def __call__(self, answer: ShortAnswer) -> dict[str, float]:
        f1, em = [], []
        for item in self.items():
            text = answer(item.question, item.evidence[0])
            f1.append(M.token_f1(text, item.answers))
            em.append(M.exact_match(text, item.answers))
        n = len(f1)
        return {"questions": n, "f1": sum(f1) / n if n else float("nan"),
                "exact_match": sum(em) / n if n else float("nan")}
