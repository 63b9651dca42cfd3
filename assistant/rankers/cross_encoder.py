"""The fine-tuned cross-encoder: reads question and sentence together and scores "this sentence
answers the question". Its fine-tuned layers and head ship in `models/cross_encoder.safetensors`
(fp16, written by `training/train_cross_encoder.py`); the word embeddings and tokenizer are the
packaged all-MiniLM-L6-v2's. It runs with int8 linear layers (the ranker is trained on these
int8 scores). Loaded on first use.

A file trained with context (metadata `context = previous`) reads each sentence followed by the
first words of the sentence before it: "He is also the oldest ..." or "These include ..." say
what they are about only there."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from ..store.finetuned import FinetunedMiniLM
from .learned import MODELS

PATH = MODELS / "cross_encoder.safetensors"
CONTEXT_WORDS = 16      # of the previous sentence: its subject, not its whole length (each token costs time)


def with_context(text: str, previous: str) -> str:
    """The second segment of a pair: the sentence, then [SEP] and the start of the one before it.
    Truncation cuts the context first."""
    if not previous:
        return text
    return f"{text} [SEP] {' '.join(previous.split()[:CONTEXT_WORDS])}"


class CrossEncoder(FinetunedMiniLM):
    def __init__(self, path: Path = PATH, runtime: str | None = None) -> None:
        super().__init__(path, runtime)

    @property
    def reads_context(self) -> bool:
        return self.model.metadata.get("context") == "previous"

    def scores(self, question: str, texts: Sequence[str], previous: Sequence[str] | None = None) -> np.ndarray:
        """One logit per text; higher is a better answer. `previous`: the sentence before each text
        in its document ("" for a first sentence), read when the model was trained with it."""
        if not texts:
            return np.zeros(0, dtype=np.float32)
        if previous is not None and self.reads_context:
            texts = [with_context(t, p) for t, p in zip(texts, previous)]
        return self.model.score_pairs([(question, t) for t in texts])
