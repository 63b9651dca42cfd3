"""A small multilayer perceptron in NumPy, loaded from the JSON file a training script wrote:
standardise, hidden layers with ReLU, a logistic output."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

MODELS = Path(__file__).resolve().parent.parent / "models"    # the shipped weights


@lru_cache(maxsize=4)
def load_model(name: str) -> "MLP":
    return MLP.load(MODELS / f"{name}.json")


class MLP:
    def __init__(self, spec: dict) -> None:
        self.spec = spec
        self.features: list[str] = spec["features"]
        self.mean = np.asarray(spec["mean"], dtype=np.float32)
        self.scale = np.asarray(spec["scale"], dtype=np.float32)
        self.layers = [(np.asarray(w, dtype=np.float32), np.asarray(b, dtype=np.float32))
                       for w, b in zip(spec["weights"], spec["biases"])]

    @classmethod
    def load(cls, path: str | Path) -> "MLP":
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    @classmethod
    def from_sklearn(cls, model, features: list[str], mean, scale, **extra) -> "MLP":
        """From a fitted sklearn MLPClassifier or LogisticRegression (binary, or multi-class for
        `probabilities`)."""
        if hasattr(model, "coefs_"):
            weights, biases = [w.tolist() for w in model.coefs_], [b.tolist() for b in model.intercepts_]
        else:
            weights, biases = [model.coef_.T.tolist()], [model.intercept_.tolist()]
        return cls({"features": list(features), "mean": list(map(float, mean)), "scale": list(map(float, scale)),
                    "weights": weights, "biases": biases, **extra})

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.spec, indent=None), encoding="utf-8")

    def outputs(self, x: np.ndarray) -> np.ndarray:
        """The last layer before its link function, one row per input."""
        h = (np.asarray(x, dtype=np.float32) - self.mean) / self.scale
        for i, (w, b) in enumerate(self.layers):
            h = h @ w + b
            if i < len(self.layers) - 1:
                h = np.maximum(h, 0.0)
        return h

    def probability(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.outputs(x)[:, 0]))

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """A multi-class model's softmax, one row per input."""
        h = self.outputs(x)
        e = np.exp(h - h.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
