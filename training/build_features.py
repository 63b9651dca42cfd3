"""Build the training data of the learned ranker and abstainer (features, not text).

Sources, tune articles only (`split_of`: the benchmark reports on the others): XQuAD, MultiRC dev
(other) and QED, with human-marked gold sentences; and MultiRC train, whose gold sentences are
derived (the sentence sharing most words with the question plus a correct option, kept only when
it holds at least half of that option's words). For each question, three lists of candidates:
- answerable: asked over all articles of its set in one index (labels: candidate supports gold);
- on-topic unanswerable: asked within its own article with the gold sentences deleted;
- off-topic unanswerable: asked within another article of the same set.

Usage: python training/build_features.py [--data ../shared/data] [--out training/features.pkl]
       [--train-limit 1500]
"""
from __future__ import annotations

import argparse
import json
import pickle
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluation.datasets import (Article, load_dev_articles,  # noqa: E402
                                           load_squad_articles, split_of)
from assistant.text.question import focus_terms  # noqa: E402
from assistant.evaluation.gold import GoldItem  # noqa: E402
from assistant.evaluation.metrics import supports  # noqa: E402
from assistant.ingest.splitter import split_sentences  # noqa: E402
from assistant.rankers.features import FeatureExtractor  # noqa: E402
from assistant.schema import Document  # noqa: E402
from assistant.service import Assistant  # noqa: E402
from assistant.text.terms import terms  # noqa: E402

SEED = 13
K = 12          # candidates per question, as the assistant retrieves


def multirc_train_articles(path: Path, limit: int) -> list[Article]:
    """MultiRC train with derived gold sentences (see the module docstring)."""
    articles, kept = [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = row["passage"]["text"].replace("<br>", "\n")
        article = Article(f"multirc-train-{row['idx']}", f"MultiRC train {row['idx']}", text)
        sentences = split_sentences(text)
        for q in row["passage"]["questions"]:
            q_terms = set(terms(q["question"]))
            options = [a["text"] for a in q["answers"] if a["label"] == 1]
            best, best_score, best_cover = None, 0.0, 0.0
            for s in sentences:
                s_terms = set(terms(s.text))
                for option in options:
                    a_terms = set(terms(option)) - q_terms
                    cover = len(a_terms & s_terms) / len(a_terms) if a_terms else 0.0
                    score = len(q_terms & s_terms) + 2 * len(a_terms & s_terms)
                    if score > best_score:
                        best, best_score, best_cover = s, score, cover
            if best is not None and best_cover >= 0.5 and q_terms & set(terms(best.text)):
                article.items.append(GoldItem(id=f"mt{q['idx']}", kind="factual", question=q["question"],
                                              answers=options, evidence=[best.text], doc_id=article.id,
                                              answer_type="mc"))
                kept += 1
        if article.items:
            articles.append(article)
    random.Random(SEED).shuffle(articles)
    out, n = [], 0
    for a in articles:
        if n >= limit:
            break
        out.append(a)
        n += len(a.items)
    print(f"MultiRC train: {kept} questions with a derived gold sentence; using {n} in {len(out)} passages")
    return out


def extractor_for(catalog) -> FeatureExtractor:
    return FeatureExtractor(catalog)


def lists(bot, extractor, question: str, doc_ids, evidence) -> dict:
    cands = bot.retriever.search(question, doc_ids=doc_ids, k=K)
    info = extractor.question(question, doc_ids, candidates=cands)
    return {"q": question, "texts": [c.text for c in cands], "x": extractor.matrix(info, cands),
            "y": [bool(evidence) and supports(c.text, evidence) for c in cands]}


def collect(name: str, articles: list[Article], rng: random.Random) -> list[dict]:
    """Two settings, each with positives and negatives, so that no feature can tell them apart by
    the size of the index alone: every article of the set in one index (answerable; off-topic:
    scoped to another article), and one article alone (answerable; on-topic: its gold sentences
    deleted; off-topic: another article's question)."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        bot = Assistant(index_dir=Path(tmp) / "main")
        alone = Assistant(index_dir=Path(tmp) / "alone", embedder=bot.embedder)
        t0 = time.time()
        for a in articles:
            bot.add_document(a.text, a.id, a.title)
        print(f"{name}: indexed {len(articles)} articles in {time.time() - t0:.0f} s", flush=True)
        many, one = extractor_for(bot.catalog), extractor_for(alone.catalog)
        ids = [a.id for a in articles]
        t0 = time.time()
        done = 0
        for n, a in enumerate(articles):
            items = [item for item in a.items if not item.turns]
            other = articles[(n + 1) % len(articles)]
            others = [i for i in ids if i != a.id]
            alone.add_document(a.text, a.id, a.title)
            for item in items:
                base = {"set": name, "article": a.id, "id": item.id}
                rows.append({**base, "kind": "answerable", **lists(bot, many, item.question, None, item.evidence)})
                rows.append({**base, "kind": "answerable_alone",
                             **lists(alone, one, item.question, [a.id], item.evidence)})
                if others:
                    rows.append({**base, "kind": "off_topic",
                                 **lists(bot, many, item.question, [rng.choice(others)], [])})
            for item in [i for i in other.items if not i.turns][:len(items)] if other is not a else []:
                rows.append({"set": name, "article": other.id, "id": item.id, "kind": "off_topic_alone",
                             **lists(alone, one, item.question, [a.id], [])})
            alone.remove_document(a.id)
            for item in items:
                doc = a.without_evidence(item)
                if doc is not None:     # one variant at a time, as the benchmark asks them
                    alone.add_document(doc.text, doc.id, doc.title)
                    rows.append({"set": name, "article": a.id, "id": item.id, "kind": "on_topic",
                                 **lists(alone, one, item.question, [doc.id], [])})
                    alone.remove_document(doc.id)
                done += 1
                if done % 200 == 0:
                    print(f"{name}: {done} questions, {time.time() - t0:.0f} s", flush=True)
        rows = [r for r in rows if r["texts"]]
        print(f"{name}: {len(rows)} lists in {time.time() - t0:.0f} s", flush=True)
    return rows


def without_focus(article: Article, item: GoldItem) -> Document | None:
    """The article with every sentence naming the question's rarest focus noun deleted, when that
    also deletes its gold sentences: a question about something the article never mentions."""
    sentences = split_sentences(article.text)
    sentence_terms = [set(terms(s.text)) for s in sentences]
    nouns = [ts for ts in focus_terms(item.question)
             if 0 < sum(bool(st & set(ts)) for st in sentence_terms) < len(sentences) // 2]
    if not nouns:
        return None
    rarest = min(nouns, key=lambda ts: sum(bool(st & set(ts)) for st in sentence_terms))
    kept = [s.text for s, st in zip(sentences, sentence_terms) if not st & set(rarest)]
    if not kept or any(supports(t, item.evidence) for t in kept):
        return None
    return Document(f"{article.id[:100]}.unknown", "\n\n".join(kept), article.title)


def collect_unknown(name: str, articles: list[Article]) -> list[dict]:
    """On-topic lists where the question's subject is missing from the article altogether."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        alone = Assistant(index_dir=Path(tmp) / "alone")
        one = extractor_for(alone.catalog)
        t0 = time.time()
        for a in articles:
            for item in a.items:
                doc = None if item.turns else without_focus(a, item)
                if doc is None:
                    continue
                alone.add_document(doc.text, doc.id, doc.title)
                rows.append({"set": name, "article": a.id, "id": item.id, "kind": "on_topic_unknown",
                             **lists(alone, one, item.question, [doc.id], [])})
                alone.remove_document(doc.id)
        rows = [r for r in rows if r["texts"]]
        print(f"{name}: {len(rows)} lists with the subject deleted in {time.time() - t0:.0f} s", flush=True)
    return rows


def write_split(sources) -> None:
    """training/split.json: the tune and test articles of each dev set, for the record."""
    split = {name: {part: sorted(a.id for a in load() if split_of(a.id, SEED) == part) for part in ("tune", "test")}
             for name, load in sources.items()}
    (ROOT / "training" / "split.json").write_text(json.dumps(split, indent=1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "training" / "features.pkl")
    parser.add_argument("--train-limit", type=int, default=1500, help="MultiRC train questions used")
    parser.add_argument("--sets", default="xquad,multirc,qed,multirc_train")
    parser.add_argument("--add-unknown", action="store_true",
                        help="only add lists with the question's subject deleted to an existing --out file")
    args = parser.parse_args()
    rng = random.Random(SEED)
    sources = {
        "xquad": lambda: load_squad_articles(args.data / "xquad.en.json"),
        "multirc": lambda: load_dev_articles(args.data / "dev" / "multirc_dev_other.jsonl"),
        "qed": lambda: load_dev_articles(args.data / "dev" / "qed_dev.jsonl"),
    }
    write_split(sources)
    rows = pickle.loads(args.out.read_bytes()) if args.add_unknown else []
    if args.add_unknown:
        rows = [r for r in rows if r["kind"] != "on_topic_unknown"]
    for name in args.sets.split(","):
        if name == "multirc_train":
            articles = multirc_train_articles(args.data / "train" / "multirc_train.jsonl", args.train_limit)
        else:
            articles = [a for a in sources[name]() if split_of(a.id, SEED) == "tune"]
        if not args.add_unknown:
            rows += collect(name, articles, rng)
        rows += collect_unknown(name, articles)
        if not args.add_unknown:
            with open(args.out, "wb") as f:     # a checkpoint after each set
                pickle.dump(rows, f)
    with open(args.out, "wb") as f:
        pickle.dump(rows, f)
    print(f"wrote {len(rows)} lists to {args.out}")


if __name__ == "__main__":
    main()
