"""What kind of request a question is, read from its meaning: the question's MiniLM vector (the one
retrieval computes anyway), its word and character n-grams hashed into a small vector (the shape
of the request: a mean-pooled vector is dominated by the topic, and character n-grams survive
typos) and the kind the phrasing rules found, through a small MLP trained on many phrasings per
kind and on real fact questions (`training/train_intents.py`)."""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import numpy as np

from ..runtimes.embedder import MiniLMEmbedder, default_embedder
from ..runtimes.lazy import Lazy
from ..runtimes.mlp import MLP, load_model
from ..schema import AnswerKind
from .terms import normalise

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


NGRAM_DIMS = 1024


def ngrams(question: str, dims: int = NGRAM_DIMS) -> np.ndarray:
    """Words, word pairs and the 3- and 4-character pieces of each word, hashed (crc32, the same
    on every machine) into `dims` buckets; log counts, unit length."""
    words = re.sub(r"[^\w' ]+", " ", normalise(question).lower()).split()
    pieces = [f"w:{w}" for w in words] + [f"b:{a} {b}" for a, b in zip(words, words[1:])]
    for word in words:
        padded = f" {word} "
        pieces += [f"c:{padded[i:i + n]}" for n in (3, 4) for i in range(len(padded) - n + 1)]
    v = np.zeros(dims, dtype=np.float32)
    for piece in pieces:
        v[zlib.crc32(piece.encode("utf-8")) % dims] += 1.0
    v = np.log1p(v)
    norm = float(np.linalg.norm(v))
    return v / norm if norm else v


def features(vector: np.ndarray, rule_kind: AnswerKind, question: str) -> np.ndarray:
    onehot = np.zeros(len(RULE_KINDS), dtype=np.float32)
    onehot[RULE_KINDS.index(rule_kind) if rule_kind in RULE_KINDS else 0] = 1.0
    return np.concatenate([np.asarray(vector, dtype=np.float32), onehot, ngrams(question)])


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
        p = model.probabilities(features(self.embedder.encode_query(question), rule_kind, question)[None, :])[0]
        order = np.argsort(-p)
        best = next(int(i) for i in order if labels[i] != "fact")
        return Reading(labels[int(order[0])], float(p[order[0]]), labels[best], float(p[best]))
