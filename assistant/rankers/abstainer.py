"""Whether to answer, and how sure: a small MLP over the ranked list, trained on answerable
questions against on-topic negatives (the question's own article with its gold sentences deleted)
and off-topic ones (other articles).

Below `threshold` (chosen in training for at most 2% false abstentions on the tune articles,
cross-validated) the reply is "not in the article"; below `sure` it is "not sure" with the closest
passages; above, an answer. `calibration` maps the MLP's probability to the probability that the
first quote answers the question (`training/choose_confidence.py`)."""
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
    def __init__(self, reader: SpanReader, model: MLP | None = None) -> None:
        self.model = model or load_model("abstainer")
        if tuple(self.model.features) != ABSTAIN_FEATURES:
            raise ValueError("the abstention model was trained on other features: run training/train_models.py")
        self.reader = reader
        self.threshold = float(self.model.spec.get("threshold", 0.5))
        self.sure = max(self.threshold, float(self.model.spec.get("sure", self.threshold)))
        self.calibration = tuple(self.model.spec.get("calibration", (1.0, 0.0)))   # Platt: a, b on the logit

    def warm_up(self) -> None:
        self.reader.warm_up()

    def probability(self, question: QuestionInfo, ranked: list[Ranked]) -> float:
        """Probability that the best candidate answers the question."""
        if not ranked:
            return 0.0
        confidence = self.reader.confidence(question.read_as, ranked[0].candidate.text)
        return float(self.model.probability(abstain_features(question, ranked, confidence))[0])

    def confidence(self, probability: float) -> float:
        """The calibrated probability that the first quote answers the question."""
        p = min(max(probability, 1e-6), 1 - 1e-6)
        a, b = self.calibration
        return 1 / (1 + math.exp(-(a * math.log(p / (1 - p)) + b)))

    def verdict(self, probability: float) -> AnswerKind:
        """FACT (answer), UNCERTAIN (not sure: the closest passages) or ABSTAINED (not in the article)."""
        if probability < self.threshold:
            return AnswerKind.ABSTAINED
        return AnswerKind.UNCERTAIN if probability < self.sure else AnswerKind.FACT
