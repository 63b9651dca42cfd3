"""Grid-search the sentence ranking weights on XQuAD: fit on even-numbered articles, report the
odd ones too. Usage: python benchmarks/tune_ranking.py [xquad.en.json]"""
from __future__ import annotations

import itertools
import sys
import tempfile
from pathlib import Path

import numpy as np

from assistant.answerers.question import expected_labels
from assistant.evaluation.metrics import supports
from assistant.evaluation.squad import load_squad
from assistant.service import Assistant

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "xquad.en.json"


def main() -> None:
    documents, items = load_squad(sys.argv[1] if len(sys.argv) > 1 else DEFAULT)
    even = {d.id for i, d in enumerate(documents) if i % 2 == 0}
    features, labels, fit = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        bot = Assistant(index_dir=tmp)
        for doc in documents:
            bot.add_document(doc.text, doc.id, doc.title, doc.metadata)
        for item in items:
            ranked = bot.answer_step.rank(item.question, bot.retriever.search(item.question, k=20),
                                          expected_labels(item.question))
            features.append(np.array([[c.dense, c.window, c.doc.metadata["bm25"], c.coverage, c.context,
                                       c.has_type, c.doc.metadata["passage"]] for c in ranked]).reshape(-1, 7))
            labels.append(np.array([supports(c.doc.page_content, item.evidence) for c in ranked]))
            fit.append(item.doc_id in even)

    def hit(w, chosen):
        return np.mean([lab[(f @ w).argmax()] if len(f) else 0 for f, lab, c in zip(features, labels, fit) if c in chosen])

    # dense, window, bm25, coverage, context, answer type, passage
    grid = [w for w in itertools.product([0, 0.5, 1.0], [0, 0.5, 1.0], [0, 0.2], [0.8, 1.2, 1.6, 2.0],
                                         [0, 0.2, 0.5], [0.2, 0.4, 0.6], [0, 1, 2, 3]) if w[0] + w[1] > 0]
    results = sorted(((hit(np.array(w), {True}), w) for w in grid), reverse=True)
    for score, w in results[:5]:
        print(f"weights {w}: fit half {score:.3f}, other half {hit(np.array(w), {False}):.3f}, "
              f"all {hit(np.array(w), {True, False}):.3f}")


if __name__ == "__main__":
    main()
