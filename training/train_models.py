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

from assistant.answerers.abstention import (ABSTAIN_FEATURES, BASE_FEATURES, PARAPHRASE_FEATURES,  # noqa: E402
                                            READER_FEATURES, abstain_features)
from assistant.rankers.features import CANDIDATE_FEATURES, QuestionInfo  # noqa: E402
from assistant.rankers.learned import CROSS_FEATURES, CROSS_K, MODELS, Ranked  # noqa: E402
from assistant.rankers.mlp import MLP  # noqa: E402

SEED = 13
FOLDS = 5
MAX_FALSE_ABSTAIN = 0.02
COL = {name: i for i, name in enumerate(CANDIDATE_FEATURES)}


def fold_of(article: str) -> int:
    import hashlib

    return hashlib.sha256(f"fold:{article}".encode()).digest()[0] % FOLDS


def make_model(kind: str, seed: int = SEED):
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    if kind == "logistic":
        return LogisticRegression(C=1.0, max_iter=2000)
    return MLPClassifier(hidden_layer_sizes=(32,), alpha=1e-3, max_iter=400, random_state=seed,
                         early_stopping=True, n_iter_no_change=15)


def fit(kind: str, x: np.ndarray, y: np.ndarray, features, seeds: int = 1, **extra) -> MLP:
    """`seeds` MLPs (seeds SEED, SEED + 1, ...) averaged: less variance from one initialisation."""
    mean, scale = x.mean(0), x.std(0) + 1e-6
    members = [MLP.from_sklearn(make_model(kind, seed).fit((x - mean) / scale, y), list(features), mean, scale)
               for seed in range(SEED, SEED + (seeds if kind == "mlp" else 1))]
    return MLP.average(members, **extra)


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
    info = QuestionInfo("", (), (), float(x0[COL["vocabulary"]]), int(round(x0[COL["unknown"]] * 3)),
                        paraphrased=row.get("paraphrased", 0))
    return info, [Ranked(None, float(p[i]), row["x"][i]) for i in order], row["texts"][order[0]]


def train_ranker(kind: str, rows, features, report, name: str, seeds: int = 1):
    """Cross-validated by article (out-of-fold models feed the next stage), then fitted on all."""
    with_gold = [r for r in rows if r["kind"].startswith("answerable") and any(r["y"])]
    oof: dict[int, MLP] = {}
    for fold in range(FOLDS):
        x, y, _ = ranker_data([r for r in with_gold if fold_of(r["article"]) != fold])
        oof[fold] = fit(kind, x, y, features, seeds)
    for s in sorted({r["set"] for r in rows}):
        test = [r for r in with_gold if r["set"] == s]
        hits = [bool(r["y"][int(np.argmax(oof[fold_of(r["article"])].probability(r["x"])))]) for r in test]
        first = [bool(r["y"][0]) for r in test]          # the order it was given
        report["sets"][s].update({f"{name}_top1_cv": float(np.mean(hits)), f"{name}_input_top1": float(np.mean(first)),
                                  f"{name}_lists_with_gold": len(test)})
        print(f"{name} {s}: top-1 (lists holding a gold sentence) {np.mean(hits):.3f}, input order {np.mean(first):.3f}")
    x, y, _ = ranker_data(with_gold)
    return oof, fit(kind, x, y, features, seeds)


def shortlist(rows, oof, k: int, folds: Path | None = None) -> None:
    """Keep each list's first-stage top k (out-of-fold order) and add the cross-encoder's columns,
    scored on those k together as the assistant scores them. With `folds` (a folder of
    `fold{k}.safetensors`, `train_cross_encoder.py --fold k`) each list is scored by the
    cross-encoder that never saw its article, so the ranker learns how far to trust it on new text."""
    import time

    from assistant.rankers.cross_encoder import CrossEncoder

    if folds is None:
        shipped = CrossEncoder()
        encoders = {f: shipped for f in range(FOLDS)}
    else:
        encoders = {f: CrossEncoder(folds / f"fold{f}.safetensors") for f in range(FOLDS)}
    start = time.time()
    for i, r in enumerate(rows):
        order = np.argsort(-oof[fold_of(r["article"])].probability(r["x"]), kind="stable")[:k]
        r["x"], r["y"], r["texts"] = r["x"][order], [r["y"][j] for j in order], [r["texts"][j] for j in order]
        previous = [r["previous"][j] for j in order] if "previous" in r else None
        s = encoders[fold_of(r["article"])].scores(r["q"], r["texts"], previous).astype(np.float32)
        r["x"] = np.column_stack([r["x"], s, s - s.max()])
        if (i + 1) % 2000 == 0:
            print(f"cross-encoder: {i + 1}/{len(rows)} lists, {time.time() - start:.0f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--features", type=Path, default=ROOT / "training" / "features.pkl")
    parser.add_argument("--kind", choices=["mlp", "logistic"], default="mlp")
    parser.add_argument("--cross", action="store_true",
                        help="add the cross-encoder's scores (assistant/models/cross_encoder.safetensors)")
    parser.add_argument("--cross-folds", type=Path,
                        help="implies --cross: score each fold with its own cross-encoder from this folder")
    parser.add_argument("--no-reader", action="store_true",
                        help="with --cross: leave the span reader's confidence out of the abstainer's features")
    parser.add_argument("--seeds", type=int, default=1, help="MLPs trained with different seeds and averaged")
    parser.add_argument("--abstainer-seeds", type=int, help="the same for the abstainer alone (default: --seeds)")
    args = parser.parse_args()
    args.cross = args.cross or args.cross_folds is not None
    rows = pickle.loads(args.features.read_bytes())
    rows = [r for r in rows if len(r["y"])]
    sets = sorted({r["set"] for r in rows})
    report: dict = {"sets": {s: {} for s in sets}, "kind": args.kind, "seeds": args.seeds, "cross_encoder": args.cross,
                    "cross_fitted": bool(args.cross_folds)}
    for s in sets:
        a = [r for r in rows if r["set"] == s and r["kind"].startswith("answerable")]
        report["sets"][s].update(questions=len(a), gold_retrieved=float(np.mean([any(r["y"]) for r in a])))
    oof, base = train_ranker(args.kind, rows, CANDIDATE_FEATURES, report, "ranker", args.seeds)
    ranker, abstain_names = base, BASE_FEATURES
    if args.cross:
        shortlist(rows, oof, CROSS_K, args.cross_folds)
        oof, ranker = train_ranker(args.kind, rows, CANDIDATE_FEATURES + CROSS_FEATURES, report,
                                   "reranker", args.seeds)
        abstain_names = ABSTAIN_FEATURES if args.no_reader else READER_FEATURES
        if not args.no_reader and all("paraphrased" in r for r in rows):   # features built with near words
            abstain_names = PARAPHRASE_FEATURES
    reader = None
    if "reader" in abstain_names:
        from assistant.readers.span_reader import SpanReader

        reader = SpanReader()

    # Abstainer on out-of-fold ranked lists: answerable vs on-topic and off-topic negatives.
    feats, labels, kinds, folds, row_sets = [], [], [], [], []
    for r in rows:
        info, ranked, best = ranked_list(oof[fold_of(r["article"])], r)
        confidence = reader.confidence(r["q"], best) if reader else 0.0
        feats.append(abstain_features(info, ranked, abstain_names, confidence)[0])
        labels.append(int(r["kind"].startswith("answerable")))
        kinds.append(r["kind"])
        folds.append(fold_of(r["article"]))
        row_sets.append(r["set"])
    feats, labels, kinds, folds, row_sets = (np.asarray(feats), np.asarray(labels), np.asarray(kinds),
                                             np.asarray(folds), np.asarray(row_sets))
    p = np.zeros(len(labels))
    abstainer_seeds = args.abstainer_seeds or args.seeds
    for fold in range(FOLDS):
        m = fit(args.kind, feats[folds != fold], labels[folds != fold], abstain_names, abstainer_seeds)
        p[folds == fold] = m.probability(feats[folds == fold])
    threshold = float(np.quantile(p[labels == 1], MAX_FALSE_ABSTAIN))
    print(f"abstention threshold {threshold:.3f} (at most {MAX_FALSE_ABSTAIN:.0%} false abstentions, cross-validated)")
    for s in sets:
        sel = row_sets == s
        figures = {k: float(np.mean(p[sel & (kinds == k)] < threshold))
                   for k in ("answerable", "answerable_alone", "on_topic", "on_topic_unknown", "off_topic", "off_topic_alone")}
        report["sets"][s].update(abstain_cv=figures)
        print(f"abstainer {s}: " + ", ".join(f"{k} abstained {v:.3f}" for k, v in figures.items()))
    abstainer = fit(args.kind, feats, labels, abstain_names, abstainer_seeds, threshold=threshold)

    MODELS.mkdir(exist_ok=True)
    base.save(MODELS / "ranker_base.json")
    ranker.save(MODELS / "ranker.json")
    abstainer.save(MODELS / "abstainer.json")
    report["threshold"] = threshold
    (ROOT / "training" / "figures.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"wrote {MODELS / 'ranker.json'}, {MODELS / 'abstainer.json'}, training/figures.json")


if __name__ == "__main__":
    main()
