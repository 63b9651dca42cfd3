"""The one way this project opens an ONNX Runtime session: on the CPU, with a fixed number of
threads that do not spin when idle (spaCy and the next model run right after or beside it), and
without ONNX Runtime's SkipLayerNormalization fusion. That fused kernel ran slower here than the
plain Add and LayerNormalization it replaces (the cross-encoder's 3 pairs 9.1 -> 7.9 ms without
it); the outputs differ in the last float bit only."""
from __future__ import annotations

from pathlib import Path

UNFUSED = ["SkipLayerNormFusion"]


def cpu_session(model: bytes | Path, threads: int):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    source = str(model) if isinstance(model, Path) else model
    return ort.InferenceSession(source, options, providers=["CPUExecutionProvider"], disabled_optimizers=UNFUSED)
