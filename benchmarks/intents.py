"""Intent detection figures (not a test):
- per-kind precision and recall on the phrasing sets (requests in styles the training phrasings
  were not written in, and fact questions in the words of requests), for the detector (rules, then
  the classifier) and for the rules alone: `gold/intents_heldout.jsonl` (its misses were looked at
  while the classifier was built; never trained on), `gold/intents_fresh.jsonl`, `_third` and
  `_fourth`, `_fifth` (each unseen when written, then read for a batch of phrasings and trained on
  from the next batch, so their figures show the fit only), `gold/intents_sixth.jsonl` (unseen
  until its misses were read for a seventh batch, which was not shipped; never trained on) and
  `gold/intents_seventh.jsonl` (written before that batch, in a style and words none of the others
  or the training phrasings use; its misses are not printed, so that it stays unseen);
- the share of the shared QA sets' questions (XQuAD, MultiRC dev, QED dev: 3,017) taken for a
  request, and how many get a request offered as a chip;
- what detection costs per question beyond the question's vector (which retrieval computes anyway).

    .venv/bin/python benchmarks/intents.py [--data ../shared/data] [--json OUT] [--set FILE ...]

`--set`: a further phrasing file to score, such as the requests people took from the chips
(`assistant feedback requests FILE`).
"""
from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from assistant.evaluation.datasets import load_dev_articles, load_squad_articles
from assistant.routing.registry import CLASSIFIER, detect, rule_intent
from assistant.runtimes.embedder import default_embedder
from assistant.settings import PROJECT_ROOT


HELD_OUT = {"heldout": PROJECT_ROOT / "gold" / "intents_heldout.jsonl",
            "fresh": PROJECT_ROOT / "gold" / "intents_fresh.jsonl",
            "third": PROJECT_ROOT / "gold" / "intents_third.jsonl",
            "fourth": PROJECT_ROOT / "gold" / "intents_fourth.jsonl",
            "fifth": PROJECT_ROOT / "gold" / "intents_fifth.jsonl",
            "sixth": PROJECT_ROOT / "gold" / "intents_sixth.jsonl",
            "seventh": PROJECT_ROOT / "gold" / "intents_seventh.jsonl"}
UNSEEN = {"seventh"}     # figures only: reading its misses would make it a development set


def shared_questions(data: Path) -> list[str]:
    questions = [i.question for a in load_squad_articles(data / "xquad.en.json") for i in a.items]
    for path in sorted((data / "dev").glob("*.jsonl")):
        questions += [t.question for a in load_dev_articles(path) for i in a.items for t in i.as_turns()]
    return questions


def per_kind(rows: list[dict], read) -> tuple[dict[str, dict], list[str]]:
    """Recall and precision per kind, and the misses ("fact read as about: …")."""
    gold, said, right, missed = Counter(), Counter(), Counter(), []
    for row in rows:
        kind = read(row["question"]).kind.value
        gold[row["kind"]] += 1
        said[kind] += 1
        right[kind] += kind == row["kind"]
        if kind != row["kind"]:
            missed.append(f"{row['kind']} read as {kind}: {row['question']}")
    return {k: {"n": gold[k], "recall": round(right[k] / gold[k], 3),
                "precision": round(right[k] / said[k], 3) if said[k] else None} for k in sorted(gold)}, missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=PROJECT_ROOT.parent / "shared" / "data")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--set", type=Path, action="append", default=[], help="a further phrasing file; repeatable")
    args = parser.parse_args()
    figures: dict = {"shared": {}}
    for name, path in list(HELD_OUT.items()) + [(p.stem, p) for p in args.set]:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        figures[name] = {}
        for reader, read in (("detector", detect), ("rules only", rule_intent)):
            table, missed = per_kind(rows, read)
            figures[name][reader] = table
            print(f"{path.name} ({len(rows)}), {reader}:")
            for kind, f in table.items():
                print(f"  {kind:9} n={f['n']:3}  recall {f['recall']:.3f}  precision "
                      f"{'-' if f['precision'] is None else format(f['precision'], '.3f')}")
            if reader == "detector" and name not in UNSEEN:
                print("".join(f"    missed: {m}\n" for m in missed), end="")
    if args.data.is_dir():
        questions = shared_questions(args.data)
        intents = [detect(q) for q in questions]
        kinds = Counter(i.kind.value for i in intents)
        taken = len(questions) - kinds["fact"]
        offered = sum(1 for i in intents if i.offer)
        figures["shared"] = {"questions": len(questions), "taken_for_a_request": taken, "offered_a_request": offered,
                             "kinds": dict(kinds)}
        print(f"shared QA questions taken for a request: {taken}/{len(questions)} ({taken / len(questions):.2%}) "
              f"{dict(kinds)}; a request offered as a chip: {offered}")
        for q, i in zip(questions, intents):
            if i.kind.value != "fact":
                print(f"  taken: {i.kind.value}: {q}")
        # the cost beyond the question's vector: vectors cached first, as retrieval leaves them,
        # readings not (the classifier's own pass is the cost)
        sample = questions[:500]
        for q in sample:
            default_embedder().encode_query(q)
        CLASSIFIER.read.cache_clear()
        started = time.perf_counter()
        for q in sample:
            detect(q)
        per = (time.perf_counter() - started) / len(sample) * 1000
        started = time.perf_counter()
        for q in sample:
            rule_intent(q)
        rules = (time.perf_counter() - started) / len(sample) * 1000
        figures["ms_per_question"] = {"detector": round(per, 3), "rules_only": round(rules, 3)}
        print(f"detection per question, vector cached: {per:.2f} ms (rules alone {rules:.2f} ms)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
