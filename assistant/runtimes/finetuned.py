"""A MiniLM fine-tuned here (the cross-encoder, the span reader), loaded from its file on first use
or by `warm_up()`: importing this does not import torch. `runtime`: "onnx" (`minilm_graph.py`,
which never imports torch) or "torch" (`minilm.py`); None reads the `model_runtime` setting."""
from __future__ import annotations

from pathlib import Path

from ..settings import get_settings
from .lazy import Lazy

RUNTIMES = ("torch", "onnx")


class FinetunedMiniLM:
    def __init__(self, path: Path, runtime: str | None = None) -> None:
        if runtime is not None and runtime not in RUNTIMES:
            raise ValueError(f"unknown model runtime {runtime!r}: one of {', '.join(RUNTIMES)}")
        self.path = path
        self.runtime = runtime
        self._model = Lazy(self._load)

    def _load(self):
        if (self.runtime or get_settings().model_runtime) == "onnx":
            from .minilm_graph import finetuned
        else:
            from .minilm import finetuned
        return finetuned(self.path)

    @property
    def model(self):
        return self._model.get()

    def warm_up(self) -> None:
        self._model.get()
