"""Fit the abstention model of the extractive answerer on XQuAD and print its coefficients.

Positives: every XQuAD question asked over all 48 articles. Negatives: the same question asked
with its own article left out (so the documents do not hold the answer). The seed gold set is
not used, so it stays a fair test. Usage: python benchmarks/fit_abstention.py [xquad.en.json]
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

from assistant.answerers.question import expected_labels
from assistant.evaluation.squad import load_squad
from assistant.service import Assistant

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "xquad.en.json"


def main() -> None:
    from sklearn.linear_model import LogisticRegression

    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    documents, items = load_squad(path)
    with tempfile.TemporaryDirectory() as tmp:
        bot = Assistant(index_dir=tmp)
        for doc in documents:
            bot.add_document(doc.text, doc.id, doc.title, doc.metadata)
        step = bot.answer_step
        all_ids = [d.id for d in documents]
        X, y, unknown = [], [], []
        for item in items:
            labels = expected_labels(item.question)
            for doc_ids, label in ((None, 1), ([d for d in all_ids if d != item.doc_id], 0)):
                docs = bot.retriever.search(item.question, doc_ids=doc_ids)
                ranked = step.rank(item.question, docs, labels)
                X.append(step.features(item.question, ranked[0], doc_ids))
                y.append(label)
                unknown.append(bool(step.unknown_focus(item.question, doc_ids)))
    X, y, unknown = np.array(X), np.array(y), np.array(unknown)
    model = LogisticRegression(C=10.0, max_iter=1000).fit(X, y)
    p = model.predict_proba(X)[:, 1]
    print("weights:", tuple(round(float(w), 3) for w in model.coef_[0]), "bias:", round(float(model.intercept_[0]), 3))
    print(f"unknown focus noun: answerable {unknown[y == 1].mean():.3f}, answer absent {unknown[y == 0].mean():.3f}")
    for threshold in (0.05, 0.1, 0.2, 0.3, 0.5):
        for overrule in (0.5, 0.9):
            abstain = (p < threshold) | (unknown & (p < overrule))
            print(f"threshold {threshold}, overrule {overrule}: false abstain {abstain[y == 1].mean():.3f}, "
                  f"abstain when absent {abstain[y == 0].mean():.3f}")


if __name__ == "__main__":
    main()
