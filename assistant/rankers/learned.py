"""The learned ranker, in two stages: a small MLP over `features.CANDIDATE_FEATURES`
(`ranker_base.json`) orders every candidate; the cross-encoder reads the best `CROSS_K` and a
second MLP (`ranker.json`, the same features plus the cross-encoder's) orders those, which are all
that is returned. Trained by `training/train_models.py` on tune articles of the shared dev sets and
MultiRC train."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..retrievers.candidate import Candidate
from ..runtimes.mlp import MLP, load_model
from .cross_encoder import CrossEncoder
from .features import CANDIDATE_FEATURES, QuestionInfo

CROSS_FEATURES = ("cross", "cross_gap")     # the cross-encoder's logit, and its distance from the best
RANKER_FEATURES = CANDIDATE_FEATURES + CROSS_FEATURES
# Candidates the cross-encoder reads: the first stage's best. Each costs about 3 ms; reading 3
# instead of 6 also answered more reliably (the paired rule, training/MODEL_CARD.md).
CROSS_K = 3


@dataclass
class Ranked:
    candidate: Candidate
    probability: float
    features: np.ndarray     # its row of RANKER_FEATURES

    def feature(self, name: str) -> float:
        return float(self.features[RANKER_FEATURES.index(name)])


class LearnedRanker:
    def __init__(self, cross_encoder: CrossEncoder | None = None, base: MLP | None = None,
                 model: MLP | None = None, runtime: str | None = None) -> None:
        self.base = base or load_model("ranker_base")
        self.model = model or load_model("ranker")
        if tuple(self.base.features) != CANDIDATE_FEATURES or tuple(self.model.features) != RANKER_FEATURES:
            raise ValueError("the ranker models were trained on other features: run training/train_models.py")
        self.cross_encoder = cross_encoder or CrossEncoder(runtime=runtime)

    def warm_up(self) -> None:
        self.cross_encoder.warm_up()

    def first_stage(self, x: np.ndarray) -> np.ndarray:
        """Candidate positions best first by the ranker's first stage (the cross-encoder reads the best)."""
        return np.argsort(-self.base.probability(x), kind="stable")

    def rank(self, question: QuestionInfo, candidates: Sequence[Candidate], x: np.ndarray,
             order: np.ndarray | None = None) -> list[Ranked]:
        """Best first. `x`: the candidates' rows of CANDIDATE_FEATURES (`FeatureExtractor.matrix`);
        `order`: `first_stage(x)`, when the caller has it already."""
        if not candidates:
            return []
        top = (self.first_stage(x) if order is None else order)[:CROSS_K]
        s = self.cross_encoder.scores(question.read_as, [candidates[i].text for i in top]).astype(np.float32)
        x2 = np.column_stack([x[top], s, s - s.max()])
        p2 = self.model.probability(x2)
        return [Ranked(candidates[top[j]], float(p2[j]), x2[j]) for j in np.argsort(-p2, kind="stable")]
