"""A MiniLM fine-tuned here (the cross-encoder, the span reader), loaded from its file on first use:
importing this does not import torch."""
from __future__ import annotations

import threading
from pathlib import Path


class FinetunedMiniLM:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._model = None
        self._lock = threading.Lock()

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    from .minilm import finetuned

                    self._model = finetuned(self.path)
        return self._model
