"""Train the learned ranker and the abstainer from `training/features.pkl` (build_features.py)
and write `assistant/models/ranker.json`, `assistant/models/abstainer.json` and the figures of
`training/MODEL_CARD.md` (cross-validated by article on the tune data; test figures come from the
quality benchmark, `assistant eval --benchmark`).

Usage: python training/train_models.py [--features training/features.pkl]
"""
from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.rankers.abstainer import ABSTAIN_FEATURES, abstain_features  # noqa: E402
from assistant.rankers.features import CANDIDATE_FEATURES, QuestionInfo  # noqa: E402
from assistant.rankers.learned import RANKER_FEATURES, Ranked  # noqa: E402
from assistant.runtimes.mlp import MLP, MODELS  # noqa: E402

SEED = 13
FOLDS = 5
MAX_FALSE_ABSTAIN = 0.02
COL = {name: i for i, name in enumerate(CANDIDATE_FEATURES)}
# The shipped second stage learned from the first stage's best 6 and is served on its best
# `CROSS_K` (3); retrained on the best 4 or 5 it scored lower (training/MODEL_CARD.md).
TRAIN_K = 6


def fold_of(article: str) -> int:
    import hashlib

    return hashlib.sha256(f"fold:{article}".encode()).digest()[0] % FOLDS


def fit(x: np.ndarray, y: np.ndarray, features, **extra) -> MLP:
    from sklearn.neural_network import MLPClassifier

    mean, scale = x.mean(0), x.std(0) + 1e-6
    model = MLPClassifier(hidden_layer_sizes=(32,), alpha=1e-3, max_iter=400, random_state=SEED,
                          early_stopping=True, n_iter_no_change=15)
    return MLP.from_sklearn(model.fit((x - mean) / scale, y), list(features), mean, scale, **extra)


def ranker_data(lists):
    xs, ys, groups = [], [], []
    for g, row in enumerate(lists):
        xs.append(row["x"])
        ys.append(np.asarray(row["y"], dtype=int))
        groups.append(np.full(len(row["y"]), g))
    return np.concatenate(xs), np.concatenate(ys), np.concatenate(groups)


def ranked_list(model: MLP, row) -> tuple[QuestionInfo, list[Ranked], str]:
    """The list as the assistant ranks it, and the best candidate's text."""
    p = model.probability(row["x"])
    order = np.argsort(-p, kind="stable")
    x0 = row["x"][0]
    info = QuestionInfo("", (), (), float(x0[COL["vocabulary"]]), int(round(x0[COL["unknown"]] * 3)))
    return info, [Ranked(None, float(p[i]), row["x"][i]) for i in order], row["texts"][order[0]]


def train_ranker(rows, features, report, name: str):
    """Cross-validated by article (out-of-fold models feed the next stage), then fitted on all."""
    with_gold = [r for r in rows if r["kind"].startswith("answerable") and any(r["y"])]
    oof: dict[int, MLP] = {}
    for fold in range(FOLDS):
        x, y, _ = ranker_data([r for r in with_gold if fold_of(r["article"]) != fold])
        oof[fold] = fit(x, y, features)
    for s in sorted({r["set"] for r in rows}):
        test = [r for r in with_gold if r["set"] == s]
        hits = [bool(r["y"][int(np.argmax(oof[fold_of(r["article"])].probability(r["x"])))]) for r in test]
        first = [bool(r["y"][0]) for r in test]          # the order it was given
        report["sets"][s].update({f"{name}_top1_cv": float(np.mean(hits)), f"{name}_input_top1": float(np.mean(first)),
                                  f"{name}_lists_with_gold": len(test)})
        print(f"{name} {s}: top-1 (lists holding a gold sentence) {np.mean(hits):.3f}, input order {np.mean(first):.3f}")
    x, y, _ = ranker_data(with_gold)
    return oof, fit(x, y, features)


def shortlist(rows, oof, k: int) -> None:
    """Keep each list's first-stage top k (out-of-fold order) and add the cross-encoder's columns,
    scored on those k together as the assistant scores them."""
    import time

    from assistant.rankers.cross_encoder import CrossEncoder

    encoder = CrossEncoder()
    start = time.time()
    for i, r in enumerate(rows):
        order = np.argsort(-oof[fold_of(r["article"])].probability(r["x"]), kind="stable")[:k]
        r["x"], r["y"], r["texts"] = r["x"][order], [r["y"][j] for j in order], [r["texts"][j] for j in order]
        s = encoder.scores(r["q"], r["texts"]).astype(np.float32)
        r["x"] = np.column_stack([r["x"], s, s - s.max()])
        if (i + 1) % 2000 == 0:
            print(f"cross-encoder: {i + 1}/{len(rows)} lists, {time.time() - start:.0f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--features", type=Path, default=ROOT / "training" / "features.pkl")
    args = parser.parse_args()
    rows = pickle.loads(args.features.read_bytes())
    rows = [r for r in rows if len(r["y"])]
    sets = sorted({r["set"] for r in rows})
    report: dict = {"sets": {s: {} for s in sets}, "kind": "mlp", "cross_encoder": True}
    for s in sets:
        a = [r for r in rows if r["set"] == s and r["kind"].startswith("answerable")]
        report["sets"][s].update(questions=len(a), gold_retrieved=float(np.mean([any(r["y"]) for r in a])))
    # Two stages, as `rankers/learned.py` runs them: every candidate, then the best TRAIN_K with the
    # cross-encoder's scores.
    oof, base = train_ranker(rows, CANDIDATE_FEATURES, report, "ranker")
    shortlist(rows, oof, TRAIN_K)
    oof, ranker = train_ranker(rows, RANKER_FEATURES, report, "reranker")
    from assistant.readers.span_reader import SpanReader

    reader = SpanReader()

    # Abstainer on out-of-fold ranked lists: answerable vs on-topic and off-topic negatives.
    feats, labels, kinds, folds, row_sets = [], [], [], [], []
    for r in rows:
        info, ranked, best = ranked_list(oof[fold_of(r["article"])], r)
        feats.append(abstain_features(info, ranked, reader.confidence(r["q"], best))[0])
        labels.append(int(r["kind"].startswith("answerable")))
        kinds.append(r["kind"])
        folds.append(fold_of(r["article"]))
        row_sets.append(r["set"])
    feats, labels, kinds, folds, row_sets = (np.asarray(feats), np.asarray(labels), np.asarray(kinds),
                                             np.asarray(folds), np.asarray(row_sets))
    p = np.zeros(len(labels))
    for fold in range(FOLDS):
        m = fit(feats[folds != fold], labels[folds != fold], ABSTAIN_FEATURES)
        p[folds == fold] = m.probability(feats[folds == fold])
    threshold = float(np.quantile(p[labels == 1], MAX_FALSE_ABSTAIN))
    print(f"abstention threshold {threshold:.3f} (at most {MAX_FALSE_ABSTAIN:.0%} false abstentions, cross-validated)")
    for s in sets:
        sel = row_sets == s
        figures = {k: float(np.mean(p[sel & (kinds == k)] < threshold))
                   for k in ("answerable", "answerable_alone", "on_topic", "on_topic_unknown", "off_topic", "off_topic_alone")}
        report["sets"][s].update(abstain_cv=figures)
        print(f"abstainer {s}: " + ", ".join(f"{k} abstained {v:.3f}" for k, v in figures.items()))
    abstainer = fit(feats, labels, ABSTAIN_FEATURES, threshold=threshold)

    MODELS.mkdir(exist_ok=True)
    base.save(MODELS / "ranker_base.json")
    ranker.save(MODELS / "ranker.json")
    abstainer.save(MODELS / "abstainer.json")
    report["threshold"] = threshold
    (ROOT / "training" / "figures.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"wrote {MODELS / 'ranker.json'}, {MODELS / 'abstainer.json'}, training/figures.json")


if __name__ == "__main__":
    main()
