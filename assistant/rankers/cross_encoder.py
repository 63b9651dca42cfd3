"""The fine-tuned cross-encoder: reads question and sentence together and scores "this sentence
answers the question". Its fine-tuned layers and head ship in `models/cross_encoder.safetensors`
(fp16, written by `training/train_cross_encoder.py`); the word embeddings and tokenizer are the
packaged all-MiniLM-L6-v2's. It runs with int8 linear layers, in batches of pairs of like
length. Loaded on first use or by `warm_up()`."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from ..runtimes.finetuned import FinetunedMiniLM
from ..runtimes.mlp import MODELS

PATH = MODELS / "cross_encoder.safetensors"
SLACK = 1.25    # a batch's longest pair at most this many times its shortest


def length_groups(lengths: Sequence[int], slack: float = SLACK) -> list[list[int]]:
    """Indices in batches of similar length, shortest first. A batch is padded to its longest
    pair and its cost grows with the padded length: one batch of six pairs cost about a quarter
    more than the same pairs in two batches of like lengths."""
    groups: list[list[int]] = []
    for i in sorted(range(len(lengths)), key=lambda i: lengths[i]):
        if groups and lengths[i] <= slack * lengths[groups[-1][0]]:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


class CrossEncoder(FinetunedMiniLM):
    def __init__(self, path: Path = PATH, runtime: str | None = None) -> None:
        super().__init__(path, runtime)

    def scores(self, question: str, texts: Sequence[str]) -> np.ndarray:
        """One logit per text; higher is a better answer."""
        if not texts:
            return np.zeros(0, dtype=np.float32)
        model = self.model
        pairs = [(question, t) for t in texts]
        lengths = [sum(e.attention_mask) for e in model.pairs.encode(pairs)]
        out = np.zeros(len(pairs), dtype=np.float32)
        for group in length_groups(lengths):
            out[group] = model.score_pairs([pairs[i] for i in group])
        return out
