"""Training examples for the span reader: (question, sentence, answer start, answer end).

The reader sees one sentence (the quote the answer step chose) and marks the short answer in it.
Examples come from the **tune** articles only (`split_of`, seed 13, as the ranker's):
- XQuAD: the sentence holding `answer_start`, the answer's characters in it;
- QED (dev format, span answers): the gold sentence holding the answer string;
- MultiRC (dev tune articles and `../shared/data/train/`): answers are written options, so only a
  correct option of at most 6 words that appears verbatim in exactly one sentence is used.
The seed gold set is never used.

  python training/build_spans.py     # writes training/spans.jsonl
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluation.datasets import (load_dev_articles, load_squad_articles,  # noqa: E402
                                           split_of)
from assistant.ingest.splitter import split_sentences  # noqa: E402

SEED = 13


def locate(answer: str, sentence: str) -> tuple[int, int] | None:
    """The answer's characters in the sentence, on word boundaries, case-insensitive."""
    answer = answer.strip(" .,;")
    if not answer:
        return None
    match = re.search(rf"(?<!\w){re.escape(answer)}(?!\w)", sentence, re.IGNORECASE)
    return (match.start(), match.end()) if match else None


def example(source: str, article: str, question: str, sentence: str, span) -> dict:
    return {"set": source, "article": article, "q": question, "sentence": sentence,
            "start": span[0], "end": span[1]}


def from_squad(path: Path) -> list[dict]:
    rows = []
    for article in load_squad_articles(path):
        if split_of(article.id, SEED) != "tune":
            continue
        for item in article.items:
            for sentence in item.evidence:
                span = next((s for a in item.answers if (s := locate(a, sentence))), None)
                if span:
                    rows.append(example("xquad", article.id, item.question, sentence, span))
                    break
    return rows


def from_dev(path: Path, source: str) -> list[dict]:
    rows = []
    for article in load_dev_articles(path):
        if split_of(article.id, SEED) != "tune":
            continue
        sentences = [s.text for s in split_sentences(article.text)]
        for item in article.items:
            if item.answer_type == "span":
                found = [(s, span) for s in item.evidence for a in item.answers if (span := locate(a, s))]
            else:
                found = _verbatim_option(item.answers, sentences)
            if found:
                sentence, span = found[0]
                rows.append(example(source, article.id, item.question, sentence, span))
    return rows


def _verbatim_option(options: list[str], sentences: list[str]) -> list[tuple[str, tuple[int, int]]]:
    for option in options:
        if len(option.split()) > 6:
            continue
        found = [(s, span) for s in sentences if (span := locate(option, s))]
        if len(found) == 1:
            return found
    return []


def from_multirc_train(path: Path) -> list[dict]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = row["passage"]["text"].replace("<br>", "\n")
        sentences = [s.text for s in split_sentences(text)]
        for q in row["passage"]["questions"]:
            found = _verbatim_option([a["text"] for a in q["answers"] if a["label"] == 1], sentences)
            if found:
                rows.append(example("multirc_train", f"multirc-train-{row['idx']}", q["question"], *found[0]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "training" / "spans.jsonl")
    args = parser.parse_args()
    rows = (from_squad(args.data / "xquad.en.json")
            + from_dev(args.data / "dev" / "qed_dev.jsonl", "qed")
            + from_dev(args.data / "dev" / "multirc_dev_other.jsonl", "multirc")
            + from_multirc_train(args.data / "train" / "multirc_train.jsonl"))
    with open(args.out, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts = {}
    for r in rows:
        counts[r["set"]] = counts.get(r["set"], 0) + 1
    print(f"wrote {len(rows)} examples to {args.out}: {counts}")


if __name__ == "__main__":
    main()
