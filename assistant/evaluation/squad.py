"""Read SQuAD v1.1 JSON as documents plus gold items (evidence = the sentence holding the answer)."""
from __future__ import annotations

import json
import re
from pathlib import Path

from ..errors import AssistantError
from ..ingest.document_builder import build_document
from ..ingest.splitter import split_sentences
from ..schema import Document
from .gold import GoldItem


def _slug(title: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", title).strip("_")[:100] or "article"


def load_squad(path: str | Path) -> tuple[list[Document], list[GoldItem]]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))["data"]
    except (OSError, ValueError, KeyError) as exc:
        raise AssistantError(f"{path}: not a SQuAD v1.1 JSON file ({exc})") from None
    documents: list[Document] = []
    items: list[GoldItem] = []
    for article in data:
        contexts = [p["context"].strip() for p in article["paragraphs"]]
        doc = build_document("\n\n".join(contexts), doc_id=_slug(article["title"]),
                             title=article["title"].replace("_", " "), metadata={"source": "squad"})
        sentences = split_sentences(doc.text, doc.id)
        for context, para in zip(contexts, article["paragraphs"]):
            offset = doc.text.find(context[:200])
            for qa in para["qas"]:
                answers = [a["text"] for a in qa["answers"]]
                evidence = []
                if offset >= 0:
                    pos = offset + qa["answers"][0]["answer_start"]
                    evidence = [s.text for s in sentences if s.span.start <= pos < s.span.end][:1]
                items.append(GoldItem(id=qa["id"], kind="factual", question=qa["question"],
                                      answers=answers, evidence=evidence or answers, doc_id=doc.id))
        documents.append(doc)
    return documents, items
