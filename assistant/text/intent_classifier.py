"""What kind of request a question is, read from its meaning: all-MiniLM-L6-v2 fine-tuned end to
end on many phrasings per kind and on real fact questions, with a linear head over the mean of the
last layer (`training/train_intents.py`). It runs as an int8 ONNX graph, like the cross-encoder,
whatever `model_runtime` says: one classifier serves every assistant in the process. A
frozen sentence vector with hashed n-grams read a new writer's phrasings worse
(training/MODEL_CARD.md)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..runtimes.lazy import Lazy
from ..runtimes.mlp import MODELS
from ..schema import AnswerKind

PATH = MODELS / "intent.safetensors"
HEAD = "intent"


@dataclass(frozen=True)
class Reading:
    label: str            # "fact", "summary", "about:author", … (the model's label)
    probability: float
    best_request: str     # the likeliest label that is not "fact"
    request_probability: float

    @property
    def kind(self) -> AnswerKind:
        return AnswerKind(self.label.split(":")[0])


class IntentClassifier:
    """`model`: a `GraphMiniLM` with an `intent` head and `labels` and `sure` in its metadata."""

    def __init__(self, path: Path = PATH, model=None) -> None:
        self._model = Lazy(lambda: model or self._load(path))
        # one question is read by the router, the chips and the feedback: once
        self.read = lru_cache(maxsize=4096)(self._read)

    @staticmethod
    def _load(path: Path):
        from ..runtimes.minilm_graph import finetuned

        model = finetuned(path)
        model.text_tokenizer     # built now, not on the first question
        return model

    @property
    def labels(self) -> list[str]:
        return json.loads(self._model.get().metadata["labels"])

    @property
    def sure(self) -> float:
        """Below this probability the reading is not acted on: the question is answered as a fact."""
        return float(self._model.get().metadata["sure"])

    def warm_up(self) -> None:
        self._model.get()

    def probabilities(self, questions: list[str]) -> np.ndarray:
        logits = self._model.get().text_logits(questions, HEAD)
        e = np.exp(logits - logits.max(1, keepdims=True))
        return e / e.sum(1, keepdims=True)

    def _read(self, question: str) -> Reading:
        labels = self.labels
        model = self._model.get()
        tokens = model.text_tokenizer.encode(question).tokens[1:-1]
        if all(t == "[UNK]" for t in tokens):    # nothing the model knows (a 2,000-letter "word"): no request
            return Reading("fact", 1.0, next(label for label in labels if label != "fact"), 0.0)
        p = self.probabilities([question])[0]
        order = np.argsort(-p)
        best = next(int(i) for i in order if labels[i] != "fact")
        return Reading(labels[int(order[0])], float(p[order[0]]), labels[best], float(p[best]))
