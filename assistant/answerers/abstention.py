"""Whether to answer at all: a small MLP over the ranked list, trained on answerable questions
against on-topic negatives (the question's own article with its gold sentences deleted) and
off-topic ones (other articles). Its threshold is chosen in training for at most 2% false
abstentions on the tune articles (cross-validated)."""
from __future__ import annotations

import numpy as np

from ..rankers.features import CANDIDATE_FEATURES, QuestionInfo
from ..rankers.learned import CROSS_FEATURES, Ranked, load_model
from ..rankers.mlp import MLP

BASE_FEATURES = ("top", "second", "margin", "dense", "window", "passage", "coverage", "context",
                 "answer_type", "typed", "vocabulary", "unknown", "max_dense", "max_coverage",
                 "question_terms")
ABSTAIN_FEATURES = BASE_FEATURES + ("cross", "max_cross")   # the last two when the ranker has them
READER_FEATURES = ABSTAIN_FEATURES + ("reader",)   # the span reader's confidence in the best candidate
# and how many of the question's nouns were read as a candidate's near-synonym (`rankers/near_words.py`)
PARAPHRASE_FEATURES = READER_FEATURES + ("paraphrased",)


def abstain_features(question: QuestionInfo, ranked: list[Ranked],
                     names: tuple[str, ...] = BASE_FEATURES, reader: float = 0.0) -> np.ndarray:
    columns = CANDIDATE_FEATURES + CROSS_FEATURES
    col = {name: i for i, name in enumerate(columns)}
    top = ranked[0]
    rows = np.stack([r.features for r in ranked])
    second = ranked[1].probability if len(ranked) > 1 else 0.0
    values = {"top": top.probability, "second": second, "margin": top.probability - second,
              "vocabulary": question.vocabulary, "unknown": min(question.unknown, 3) / 3,
              "max_dense": rows[:, col["dense"]].max(), "max_coverage": rows[:, col["coverage"]].max(),
              "reader": reader, "paraphrased": min(question.paraphrased, 3) / 3}
    for name in ("dense", "window", "passage", "coverage", "context", "answer_type", "typed", "question_terms"):
        values[name] = top.features[col[name]]
    if rows.shape[1] > len(CANDIDATE_FEATURES):
        values["cross"] = top.features[col["cross"]]
        values["max_cross"] = rows[:, col["cross"]].max()
    return np.asarray([[values[n] for n in names]], dtype=np.float32)


def reads_paraphrases() -> bool:
    """Whether question nouns are read as candidates' near-synonyms: only when the shipped abstainer
    was trained on features built that way (`training/build_features.py --near-words`)."""
    return "paraphrased" in load_model("abstainer").features


class Abstainer:
    """`reader`: the span reader (`SpanReader`), needed when the model uses its confidence."""

    def __init__(self, model: MLP | None = None, reader=None) -> None:
        self.model = model or load_model("abstainer")
        self.features = tuple(self.model.features)
        if self.features not in (BASE_FEATURES, ABSTAIN_FEATURES, READER_FEATURES, PARAPHRASE_FEATURES):
            raise ValueError("the abstention model was trained on other features: run training/train_models.py")
        if "reader" in self.features and reader is None:
            raise ValueError("this abstention model needs the span reader")
        self.reader = reader
        self.threshold = float(self.model.spec.get("threshold", 0.5))

    def probability(self, question: QuestionInfo, ranked: list[Ranked]) -> float:
        """Probability that the best candidate answers the question."""
        if not ranked:
            return 0.0
        confidence = (self.reader.confidence(question.read_as, ranked[0].candidate.text)
                      if "reader" in self.features else 0.0)
        return float(self.model.probability(abstain_features(question, ranked, self.features, confidence))[0])

    def should_abstain(self, question: QuestionInfo, ranked: list[Ranked]) -> bool:
        return self.probability(question, ranked) < self.threshold
