"""The fine-tuned cross-encoder: reads question and sentence together and scores "this sentence
answers the question". Its fine-tuned layers and head ship in `models/cross_encoder.safetensors`
(fp16, written by `training/train_cross_encoder.py`); the word embeddings and tokenizer are the
packaged all-MiniLM-L6-v2's. It runs with int8 linear layers (the ranker is trained on these
int8 scores). Loaded on first use or by `warm_up()`."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from ..runtimes.finetuned import FinetunedMiniLM
from ..runtimes.mlp import MODELS

PATH = MODELS / "cross_encoder.safetensors"


class CrossEncoder(FinetunedMiniLM):
    def __init__(self, path: Path = PATH, runtime: str | None = None) -> None:
        super().__init__(path, runtime)

    def scores(self, question: str, texts: Sequence[str]) -> np.ndarray:
        """One logit per text; higher is a better answer."""
        if not texts:
            return np.zeros(0, dtype=np.float32)
        return self.model.score_pairs([(question, t) for t in texts])
