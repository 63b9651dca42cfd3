"""Question sets as articles: SQuAD v1.1 JSON, the shared dev JSONL format, and gold sets.

Each becomes `Article`s (a document, its gold sentences, its questions), so that one benchmark can
split any set by article and derive its on-topic unanswerable variant: the same question against
its own article with the gold sentences deleted.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AssistantError
from ..ingest.splitter import split_sentences
from ..schema import Document
from .gold import GoldItem, load_gold
from .metrics import supports


class DatasetError(AssistantError):
    """A question set that cannot be read."""


@dataclass
class Article:
    id: str
    title: str
    text: str
    items: list[GoldItem] = field(default_factory=list)

    @property
    def document(self) -> Document:
        return Document(self.id, self.text, self.title, {"source": "benchmark"})

    def without_evidence(self, item: GoldItem) -> Document | None:
        """This article with every sentence that supports `item` deleted (None if none does)."""
        evidence = [e for t in item.as_turns() for e in t.evidence]
        sentences = split_sentences(self.text)
        kept = [s.text for s in sentences if not supports(s.text, evidence)]
        if len(kept) == len(sentences) or not kept:
            return None
        digest = hashlib.sha1(item.id.encode()).hexdigest()[:10]
        return Document(f"{self.id[:100]}.minus.{digest}", "\n\n".join(kept), self.title,
                        {"source": "benchmark", "variant_of": self.id})


def doc_slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_.-")[:100] or "article"


def split_of(article_id: str, seed: int = 13) -> str:
    """'tune' or 'test' for an article, fixed by a hash: training never sees a test article."""
    return "tune" if hashlib.sha256(f"{seed}:{article_id}".encode()).digest()[0] % 2 == 0 else "test"


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise DatasetError(f"{path}: cannot read ({exc})"[:300]) from None


def load_squad_articles(path: str | Path) -> list[Article]:
    """SQuAD v1.1: an article's paragraphs joined, evidence = the sentence holding the answer."""
    path = Path(path)
    try:
        data = _read_json(path)["data"]
    except (KeyError, TypeError):
        raise DatasetError(f"{path}: not a SQuAD v1.1 JSON file") from None
    articles = []
    for entry in data:
        contexts = [p["context"].strip() for p in entry["paragraphs"]]
        text = "\n\n".join(contexts)
        doc_id = doc_slug(entry["title"])
        sentences = split_sentences(text)
        article = Article(doc_id, entry["title"].replace("_", " "), text)
        offset = 0
        for context, para in zip(contexts, entry["paragraphs"]):
            for qa in para["qas"]:
                positions = [offset + a["answer_start"] for a in qa["answers"]]
                evidence = list(dict.fromkeys(s.text for s in sentences for pos in positions
                                              if s.span.start <= pos < s.span.end))
                article.items.append(GoldItem(
                    id=qa["id"], kind="factual", question=qa["question"],
                    answers=[a["text"] for a in qa["answers"]],
                    evidence=evidence or [a["text"] for a in qa["answers"]], doc_id=doc_id))
            offset += len(context) + 2
        articles.append(article)
    return articles


def load_dev_articles(path: str | Path) -> list[Article]:
    """The shared dev format (one article per JSONL line, `gold_sentence_idxs` into `sentences`).
    Questions without a marked sentence are left out: they cannot be scored on sentences."""
    path = Path(path)
    articles = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"{path}: cannot read ({exc})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            article = Article(doc_slug(row["article_id"]), row.get("title") or row["article_id"],
                              row["context"])
            for q in row["questions"]:
                idxs = q.get("gold_sentence_idxs") or []
                if not idxs or not q.get("answerable", True):
                    continue
                article.items.append(GoldItem(
                    id=q["id"], kind="factual", question=q["question"], answers=list(q["answers"]),
                    evidence=[row["sentences"][i] for i in idxs], doc_id=article.id,
                    answer_type=q.get("answer_type", "span")))
        except (ValueError, KeyError, TypeError, IndexError, RecursionError) as exc:
            raise DatasetError(f"{path.name} line {number}: not in the dev format ({exc!r})"[:300]) from None
        articles.append(article)
    if not articles:
        raise DatasetError(f"{path.name}: no articles")
    return articles


def load_gold_articles(path: str | Path, documents: list[Document]) -> list[Article]:
    """A gold set over given documents: items go to their `doc_id`, or to the only document."""
    items = load_gold(path)
    articles = {d.id: Article(d.id, d.title, d.text) for d in documents}
    for item in items:
        doc_id = item.doc_id if item.doc_id in articles else next(iter(articles)) if len(articles) == 1 else None
        if doc_id is None:
            raise DatasetError(f"{item.id}: doc_id {item.doc_id!r} is not among the documents given")
        articles[doc_id].items.append(item)
    return list(articles.values())
