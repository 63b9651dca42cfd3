"""The learned ranker: a small MLP over `features.CANDIDATE_FEATURES` giving the probability that a
candidate sentence answers the question. Trained by `training/train_models.py` on tune articles of
the shared dev sets and MultiRC train; the weights are a JSON file beside the package."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from ..retrievers.candidate import Candidate
from .features import CANDIDATE_FEATURES, FeatureExtractor, QuestionInfo
from .mlp import MLP

CROSS_FEATURES = ("cross", "cross_gap")     # the cross-encoder's logit, and its distance from the best
CROSS_K = 6     # candidates the cross-encoder reads: the first stage's best (it costs ~3 ms a sentence)

MODELS = Path(__file__).resolve().parent.parent / "models"


@lru_cache(maxsize=4)
def load_model(name: str) -> MLP:
    return MLP.load(MODELS / f"{name}.json")


@dataclass
class Ranked:
    candidate: Candidate
    probability: float
    features: np.ndarray     # its row of the ranker's features


class LearnedRanker:
    """Two stages when a cross-encoder ships: the feature MLP (`ranker_base.json`) orders every
    candidate; the cross-encoder reads the best `CROSS_K` and a second MLP (`ranker.json`, the
    features plus the cross-encoder's logit) orders those, which are all that is returned."""

    def __init__(self, extractor: FeatureExtractor, cross_encoder=None, runtime: str | None = None) -> None:
        self.extractor = extractor
        self.base = load_model("ranker_base")
        self.model = load_model("ranker")
        self.features = tuple(self.model.features)
        if (tuple(self.base.features) != CANDIDATE_FEATURES
                or self.features not in (CANDIDATE_FEATURES, CANDIDATE_FEATURES + CROSS_FEATURES)):
            raise ValueError("the ranker models were trained on other features: run training/train_models.py")
        self.cross_encoder = None
        if self.features != CANDIDATE_FEATURES:
            from .cross_encoder import CrossEncoder

            self.cross_encoder = cross_encoder or CrossEncoder(runtime=runtime)

    def rank(self, question: QuestionInfo, candidates: Sequence[Candidate]) -> list[Ranked]:
        """Best first."""
        if not candidates:
            return []
        x = self.extractor.matrix(question, candidates)
        p = self.base.probability(x)
        order = np.argsort(-p, kind="stable")
        if self.cross_encoder is None:
            return [Ranked(candidates[i], float(p[i]), x[i]) for i in order]
        top = order[:CROSS_K]
        previous = ([self.extractor.catalog.previous_text(candidates[i].sentence) for i in top]
                    if self.cross_encoder.reads_context else None)
        s = self.cross_encoder.scores(question.read_as, [candidates[i].text for i in top], previous).astype(np.float32)
        x2 = np.column_stack([x[top], s, s - s.max()])
        p2 = self.model.probability(x2)
        return [Ranked(candidates[top[j]], float(p2[j]), x2[j]) for j in np.argsort(-p2, kind="stable")]
