"""Calibrates the abstainer's probability and chooses where "not sure" begins; writes both into
`assistant/models/abstainer.json` and the figures into `training/confidence.json`.

The assistant answers every question of the tune articles of XQuAD, MultiRC and QED (never the
test articles or the seed gold set) and their on-topic variants (gold sentences deleted), with the
abstainer's raw probability recorded. A reply is right when its first quote holds a gold sentence
(never, for a variant). Platt scaling on the replies that get a quote (probability at or above the
hard threshold) turns the probability into `Answer.confidence`. `sure` is the lowest probability
at which, on every tune set, at most 20% of the variants are answered while at least 65% of the
answerable questions still are; below it the reply is "not sure" with the closest passages. (The
issue's other aim, at most 8% of claimed answers wrong, needs at best 0.97 here, where 6-20% of
the questions would be answered: the probability does not separate right from wrong well enough.)

The abstainer was trained on these articles (cross-validated by article, then fitted on all), so
its probabilities here are in-sample: the test articles (`assistant eval --benchmark`) are the
check.

  python training/choose_confidence.py            # ~25 minutes on 2 cores; the replies are cached
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluation.benchmark import QualityBenchmark, default_sets, variant_items  # noqa: E402
from assistant.evaluation.evaluator import GoldSetEvaluator  # noqa: E402
from assistant.runtimes.mlp import MODELS  # noqa: E402
from assistant.service import Assistant  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
MAX_VARIANTS_ANSWERED = 0.20
MIN_COVERAGE = 0.65
CACHE = ROOT / "training" / "confidence_replies.json"


def raw(bot: Assistant) -> Assistant:
    """The assistant with calibration off and no "not sure" band: confidence is the raw probability."""
    bot.abstainer.calibration = (1.0, 0.0)
    bot.abstainer.sure = bot.abstainer.threshold
    return bot


def replies(sets) -> dict[str, dict[str, np.ndarray]]:
    """Per set: probability, right, and whether each reply is to an answerable question."""
    out = {}
    for bset in sets:
        with tempfile.TemporaryDirectory() as tmp:
            bot = raw(Assistant(index_dir=Path(tmp) / "main"))
            for article in bset.articles:
                doc = article.document
                bot.add_document(doc.text, doc.id, doc.title, doc.metadata)
            asked = GoldSetEvaluator(bset.items, bset.name).run(bot).results
            documents, items = variant_items(bset, 300)
            asked += QualityBenchmark.ask_variants(raw(Assistant(index_dir=Path(tmp) / "v")), documents, items).results
        kept = [r for r in asked if r.confidence is not None and (r.answerable or r.expects == "unanswerable")]
        out[bset.name] = {"p": np.array([r.confidence for r in kept]), "right": np.array([r.right and r.answerable for r in kept]),
                          "answerable": np.array([r.answerable for r in kept])}
        print(f"{bset.name}: {int(out[bset.name]['answerable'].sum())} answerable, "
              f"{int((~out[bset.name]['answerable']).sum())} variants", flush=True)
    return out


def platt(p: np.ndarray, y: np.ndarray, steps: int = 100) -> tuple[float, float]:
    """a, b of sigmoid(a * logit(p) + b) fitted to y by Newton's method."""
    x = np.log(np.clip(p, 1e-6, 1 - 1e-6) / (1 - np.clip(p, 1e-6, 1 - 1e-6)))
    X = np.column_stack([x, np.ones_like(x)])
    w = np.array([1.0, 0.0])
    for _ in range(steps):
        q = 1 / (1 + np.exp(-X @ w))
        grad = X.T @ (q - y)
        hess = X.T @ (X * (q * (1 - q))[:, None]) + 1e-6 * np.eye(2)
        w -= np.linalg.solve(hess, grad)
    return float(w[0]), float(w[1])


def figures(r: dict[str, np.ndarray], sure: float) -> dict[str, float]:
    claimed = r["p"] >= sure
    a = r["answerable"]
    return {"coverage": float(claimed[a].mean()),
            "confident_error": float((~r["right"][claimed & a]).mean()) if (claimed & a).any() else 0.0,
            "variants_answered": float(claimed[~a].mean())}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, default=MODELS / "abstainer.json")
    parser.add_argument("--again", action="store_true", help="ask again instead of reading the cached replies")
    args = parser.parse_args()
    spec = json.loads(args.model.read_text(encoding="utf-8"))
    threshold = float(spec["threshold"])
    if CACHE.exists() and not args.again:
        by_set = {name: {k: np.array(v, dtype=bool if k != "p" else float) for k, v in r.items()}
                  for name, r in json.loads(CACHE.read_text(encoding="utf-8")).items()}
    else:
        by_set = replies(default_sets(DATA, ("xquad", "multirc", "qed"), split="tune"))
        CACHE.write_text(json.dumps({n: {k: v.tolist() for k, v in r.items()} for n, r in by_set.items()}),
                         encoding="utf-8")
    p = np.concatenate([r["p"] for r in by_set.values()])
    y = np.concatenate([r["right"] for r in by_set.values()])
    a, b = platt(p[p >= threshold], y[p >= threshold].astype(float))

    def meets(sure: float) -> bool:
        return all(f["variants_answered"] <= MAX_VARIANTS_ANSWERED and f["coverage"] >= MIN_COVERAGE
                   for f in (figures(r, sure) for r in by_set.values()))

    grid = sorted(set(np.round(p[p >= threshold], 4)) | {threshold})
    sure = next((s for s in grid if meets(s)), grid[-1])
    report = {"threshold": threshold, "sure": float(sure), "calibration": [a, b],
              "chosen_on": "tune articles of XQuAD, MultiRC and QED and their on-topic variants",
              "limits": {"variants_answered": MAX_VARIANTS_ANSWERED, "coverage": MIN_COVERAGE},
              "sets": {name: {"at_threshold": figures(r, threshold), "at_sure": figures(r, sure),
                              "answerable": int(r["answerable"].sum()), "variants": int((~r["answerable"]).sum())}
                       for name, r in by_set.items()},
              "curve": {f"{s:.3f}": {n: figures(r, s) for n, r in by_set.items()}
                        for s in np.quantile(p[p >= threshold], np.linspace(0, 0.95, 20))}}
    for name, f in report["sets"].items():
        print(f"{name}: at threshold {f['at_threshold']}; at sure {f['at_sure']}")
    print(f"threshold {threshold:.3f}, sure {sure:.3f}, calibration a={a:.3f} b={b:.3f}")
    spec.update(sure=float(sure), calibration=[a, b])
    args.model.write_text(json.dumps(spec), encoding="utf-8")
    (ROOT / "training" / "confidence.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.model}, training/confidence.json")


if __name__ == "__main__":
    main()
