"""Whether to answer, and how sure: two small models over the same features of the ranked list.

- The abstainer (an MLP): is there an answer among the candidates at all? Trained on answerable
  questions against on-topic negatives (the question's own article with its gold sentences
  deleted) and off-topic ones (other articles). Below `threshold` (at most 2% false abstentions on
  the tune articles, cross-validated) the reply is "not in the article".
- The verifier (logistic regression): is the first quote the answer? Trained on the assistant's
  own replies, where a wrong first quote counts against it as much as a reply to a question with
  no answer (`training/train_verifier.py`). Its Platt-scaled probability is `Answer.confidence`; below
  `sure` the reply is "not sure" with the closest passages."""
from __future__ import annotations

import math

import numpy as np

from ..readers.span_reader import SpanReader
from ..runtimes.mlp import MLP, load_model
from ..schema import AnswerKind
from .features import QuestionInfo
from .learned import Ranked

ABSTAIN_FEATURES = ("top", "second", "margin", "dense", "window", "passage", "coverage", "context",
                    "answer_type", "typed", "vocabulary", "unknown", "max_dense", "max_coverage",
                    "question_terms", "cross", "max_cross",
                    "reader")   # the span reader's confidence in the best candidate
# Read from the best candidate's row of the ranker's features.
FROM_TOP = ("dense", "window", "passage", "coverage", "context", "answer_type", "typed", "question_terms", "cross")


def abstain_features(question: QuestionInfo, ranked: list[Ranked], reader: float) -> np.ndarray:
    top = ranked[0]
    second = ranked[1].probability if len(ranked) > 1 else 0.0
    values = {"top": top.probability, "second": second, "margin": top.probability - second,
              "vocabulary": question.vocabulary, "unknown": min(question.unknown, 3) / 3,
              "max_dense": max(r.feature("dense") for r in ranked),
              "max_coverage": max(r.feature("coverage") for r in ranked),
              "max_cross": max(r.feature("cross") for r in ranked), "reader": reader}
    values.update({name: top.feature(name) for name in FROM_TOP})
    return np.asarray([[values[n] for n in ABSTAIN_FEATURES]], dtype=np.float32)


class Abstainer:
    def __init__(self, reader: SpanReader, model: MLP | None = None, verifier: MLP | None = None) -> None:
        self.model = model or load_model("abstainer")
        self.verifier = verifier or load_model("verifier")
        for name, mlp in (("abstention", self.model), ("verifier", self.verifier)):
            if tuple(mlp.features) != ABSTAIN_FEATURES:
                raise ValueError(f"the {name} model was trained on other features: run training/train_models.py "
                                 "and training/train_verifier.py")
        self.reader = reader
        self.threshold = float(self.model.spec.get("threshold", 0.5))
        self.sure = float(self.verifier.spec.get("sure", 0.5))        # on the calibrated confidence
        self.calibration = tuple(self.verifier.spec.get("calibration", (1.0, 0.0)))   # Platt: a, b on the logit

    def warm_up(self) -> None:
        self.reader.warm_up()

    def features(self, question: QuestionInfo, ranked: list[Ranked]) -> np.ndarray:
        confidence = self.reader.confidence(question.read_as, ranked[0].candidate.text)
        return abstain_features(question, ranked, confidence)

    def confidence(self, probability: float) -> float:
        """The verifier's probability calibrated: the probability that the first quote answers."""
        p = min(max(probability, 1e-6), 1 - 1e-6)
        a, b = self.calibration
        return 1 / (1 + math.exp(-(a * math.log(p / (1 - p)) + b)))

    def verdict(self, probability: float, confidence: float) -> AnswerKind:
        """FACT (answer), UNCERTAIN (not sure: the closest passages) or ABSTAINED (not in the
        article), from the abstainer's probability and the calibrated confidence."""
        if probability < self.threshold:
            return AnswerKind.ABSTAINED
        return AnswerKind.UNCERTAIN if confidence < self.sure else AnswerKind.FACT

    def assess(self, question: QuestionInfo, ranked: list[Ranked]) -> tuple[AnswerKind, float]:
        """The reply's kind and its confidence, for a ranked list (best first)."""
        if not ranked:
            return AnswerKind.ABSTAINED, 0.0
        x = self.features(question, ranked)
        probability = float(self.model.probability(x)[0])
        confidence = self.confidence(float(self.verifier.probability(x)[0]))
        return self.verdict(probability, confidence), confidence
