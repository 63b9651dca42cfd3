"""What kind of request a question is, read from its meaning: the question's MiniLM vector (the one
retrieval computes anyway) and the kind the phrasing rules found, through a small MLP trained on
many phrasings per kind and on real fact questions (`training/train_intents.py`)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..runtimes.embedder import MiniLMEmbedder, default_embedder
from ..runtimes.lazy import Lazy
from ..runtimes.mlp import MLP, load_model
from ..schema import AnswerKind

# The rules' kinds, in the order of the model's one-hot input (FACT: no rule read the question).
RULE_KINDS = (AnswerKind.FACT, AnswerKind.SUMMARY, AnswerKind.ABOUT, AnswerKind.MENTIONS, AnswerKind.ENTITIES,
              AnswerKind.MORE, AnswerKind.SOURCE)


@dataclass(frozen=True)
class Reading:
    label: str            # "fact", "summary", "about:author", … (the model's label)
    probability: float
    best_request: str     # the likeliest label that is not "fact"
    request_probability: float

    @property
    def kind(self) -> AnswerKind:
        return AnswerKind(self.label.split(":")[0])


def features(vector: np.ndarray, rule_kind: AnswerKind) -> np.ndarray:
    onehot = np.zeros(len(RULE_KINDS), dtype=np.float32)
    onehot[RULE_KINDS.index(rule_kind) if rule_kind in RULE_KINDS else 0] = 1.0
    return np.concatenate([np.asarray(vector, dtype=np.float32), onehot])


class IntentClassifier:
    def __init__(self, embedder: MiniLMEmbedder | None = None, model: MLP | None = None) -> None:
        self._embedder = embedder
        self._model = Lazy(lambda: model or load_model("intent"))

    @property
    def embedder(self) -> MiniLMEmbedder:
        return self._embedder or default_embedder()

    @property
    def sure(self) -> float:
        """Below this probability the reading is not acted on: the question is answered as a fact."""
        return float(self._model.get().spec["sure"])

    def warm_up(self) -> None:
        self._model.get()

    def read(self, question: str, rule_kind: AnswerKind) -> Reading:
        model = self._model.get()
        labels = model.spec["labels"]
        p = model.probabilities(features(self.embedder.encode_query(question), rule_kind)[None, :])[0]
        order = np.argsort(-p)
        best = next(int(i) for i in order if labels[i] != "fact")
        return Reading(labels[int(order[0])], float(p[order[0]]), labels[best], float(p[best]))
