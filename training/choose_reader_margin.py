"""Chooses the span reader's `typed_margin` on articles it never trained on; writes
`assistant/models/reader.json`.

The short-answer step narrows the reader to entities of the type the question asks for ("Who ...?"
-> people and organisations) unless the reader's own best span scores `typed_margin` more. Each
margin is scored by short-answer F1 given the gold sentence (`ShortAnswerEvaluator`) on the reader's
held-out articles (`train_reader.held_out`: a tenth of the tune articles, never trained on); the
best mean F1 over XQuAD and QED wins. Test articles and the seed gold set are not used.

  python training/choose_reader_margin.py            # ~1 minute
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.text.question import expected_labels  # noqa: E402
from assistant.answerers.short_answer import short_answer  # noqa: E402
from assistant.evaluation.datasets import load_dev_articles, load_squad_articles, split_of  # noqa: E402
from assistant.evaluation.short_answers import ShortAnswerEvaluator  # noqa: E402
from assistant.readers.span_reader import SETTINGS, SpanReader  # noqa: E402
from training.train_reader import held_out  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
MARGINS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, float("inf"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=SETTINGS)
    args = parser.parse_args()
    sets = {"xquad": load_squad_articles(DATA / "xquad.en.json"),
            "qed": load_dev_articles(DATA / "dev" / "qed_dev.jsonl")}
    evaluators = {name: ShortAnswerEvaluator([a for a in articles if split_of(a.id) == "tune" and held_out(a.id)])
                  for name, articles in sets.items()}
    reader = SpanReader(typed_margin=0.0)
    scores = {}
    for margin in MARGINS:
        reader.typed_margin = margin
        figures = {name: ev(lambda q, s: short_answer(q, s, expected_labels(q), reader))
                   for name, ev in evaluators.items()}
        scores[margin] = figures
        mean = sum(f["f1"] for f in figures.values()) / len(figures)
        print(f"margin {margin}: " + ", ".join(f"{n} F1 {f['f1']:.3f} ({f['questions']})" for n, f in figures.items())
              + f", mean {mean:.3f}", flush=True)
    best = max(MARGINS, key=lambda m: (sum(f["f1"] for f in scores[m].values()), -m))
    args.out.write_text(json.dumps({
        "typed_margin": best,
        "chosen_on": "short-answer F1 given the gold sentence, the reader's held-out tune articles",
        "f1": {str(m): {n: round(f["f1"], 4) for n, f in s.items()} for m, s in scores.items()},
    }, indent=1) + "\n", encoding="utf-8")
    print(f"typed_margin {best} -> {args.out}")


if __name__ == "__main__":
    main()
