"""The learned span reader: marks the short answer inside the quote the answer step chose.

all-MiniLM-L6-v2 fine-tuned with a start/end head over (question, sentence) tokens
(`training/train_reader.py`, model card in `training/MODEL_CARD.md`); the fine-tuned layers and head
ship in `models/reader.safetensors` (fp16), the word embeddings and tokenizer are the packaged
model's. The answer is cut from the sentence by the tokenizer's character offsets, so it is always a
verbatim slice of the quote. Loaded on first use or by `warm_up()`.

`reader.json` (written by `training/choose_reader_margin.py`) holds how much better the reader's own
best span must score than the best span of the expected type (e.g. a PERSON for "Who ...?") to be
chosen instead: the entity types narrow its choice unless it is clearly surer of another phrase."""
from __future__ import annotations

import json
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from ..runtimes.finetuned import FinetunedMiniLM
from ..runtimes.mlp import MODELS

PATH = MODELS / "reader.safetensors"
SETTINGS = MODELS / "reader.json"
MAX_ANSWER_TOKENS = 24


@dataclass(frozen=True)
class SpanGuess:
    start: int          # characters in the sentence
    end: int
    score: float        # start + end logit

    def text(self, sentence: str) -> str:
        return sentence[self.start:self.end]


def best_span(start_logits: np.ndarray, end_logits: np.ndarray, sequence_ids: Sequence[int | None],
              longest: int = MAX_ANSWER_TOKENS) -> tuple[int, int]:
    """The (first, last) token pair with the highest summed logit, both in the second sequence
    (the sentence), last >= first, at most `longest` tokens."""
    inside = np.array([s == 1 for s in sequence_ids])      # special tokens have None
    starts = np.where(inside, start_logits, -np.inf)
    ends = np.where(inside, end_logits, -np.inf)
    n = len(starts)
    pair = starts[:, None] + ends[None, :]
    i, j = np.indices((n, n))
    pair[(j < i) | (j - i >= longest)] = -np.inf
    first, last = np.unravel_index(int(np.argmax(pair)), pair.shape)
    return int(first), int(last)


class SpanReader(FinetunedMiniLM):
    def __init__(self, path: Path = PATH, typed_margin: float | None = None, runtime: str | None = None) -> None:
        super().__init__(path, runtime)
        if typed_margin is None:
            typed_margin = json.loads(SETTINGS.read_text(encoding="utf-8"))["typed_margin"]
        self.typed_margin = typed_margin
        # The abstainer reads the best candidate, then the short answer is cut from the same pair.
        self._recent: OrderedDict[tuple[str, str], tuple] = OrderedDict()
        self._recent_lock = threading.Lock()
        self._ahead: ThreadPoolExecutor | None = None

    def read_ahead(self, question: str, sentence: str) -> Future:
        """Read the pair in a background thread, so that `confidence` and `read` of the same pair
        find it done. The answer step starts it on the first stage's best candidate while the
        cross-encoder runs (ONNX Runtime releases the interpreter lock), and that candidate is
        usually still the best after it."""
        with self._recent_lock:
            if self._ahead is None:
                self._ahead = ThreadPoolExecutor(max_workers=2, thread_name_prefix="read-ahead")
        return self._ahead.submit(self._logits, question, sentence)

    def _logits(self, question: str, sentence: str) -> tuple:
        key = (question, sentence)
        with self._recent_lock:
            if key in self._recent:
                return self._recent[key]
        out = self.model.token_logits([key], "span")[0]
        with self._recent_lock:
            self._recent[key] = out
            while len(self._recent) > 16:
                self._recent.popitem(last=False)
        return out

    def confidence(self, question: str, sentence: str) -> float:
        """How sure the reader is that `sentence` holds an answer (a feature of the abstainer): the best
        span's start + end logit."""
        return self._free(question, sentence)[0].score

    def read(self, question: str, sentence: str, choices: Sequence[tuple[int, int]] = ()) -> SpanGuess:
        """The most likely answer span in `sentence`; with `choices` (character spans, e.g. the
        entities of the type the question asks for), the most likely of those unless the reader's own
        best span scores `typed_margin` more."""
        free, encoding, logits = self._free(question, sentence)
        guesses = []
        for start, end in choices:
            tokens = tokens_of(encoding, start, end)
            if tokens:
                guesses.append(SpanGuess(start, end, float(logits[tokens[0], 0] + logits[tokens[1], 1])))
        typed = max(guesses, key=lambda g: g.score, default=None)
        return typed if typed is not None and free.score - typed.score <= self.typed_margin else free

    def _free(self, question: str, sentence: str) -> tuple[SpanGuess, object, np.ndarray]:
        """The best span of the sentence, with the pair's encoding and logits."""
        encoding, logits = self._logits(question, sentence)
        first, last = best_span(logits[:, 0], logits[:, 1], encoding.sequence_ids)
        guess = SpanGuess(encoding.offsets[first][0], encoding.offsets[last][1],
                          float(logits[first, 0] + logits[last, 1]))
        return guess, encoding, logits


def tokens_of(encoding, start: int, end: int) -> tuple[int, int] | None:
    """The first and last sentence tokens overlapping characters [start, end)."""
    inside = [i for i, (s, (a, b)) in enumerate(zip(encoding.sequence_ids, encoding.offsets))
              if s == 1 and b > start and a < end]
    return (inside[0], inside[-1]) if inside else None
