"""The requests people took from the chips, as a phrasing set: one item per question, in the format
of `gold/intents_*.jsonl`, for `benchmarks/intents.py --set` and `training/train_intents.py --extra`."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..feedback.log import RequestLog
from ..feedback.request import record_label
from .gold import GoldFormatError
from .metrics import normalise


def export_requests(path: str | Path, min_count: int = 1) -> tuple[list[dict], list[str]]:
    """One item per question (case and spacing aside) that at least `min_count`
    records label with one request and none with another. Returns the items and one line for each
    question left out and why, and for each unreadable line."""
    records, notes = RequestLog(path).read()
    if not records:
        raise GoldFormatError(f"{Path(path).name}: no requests taken ({len(notes)} unreadable line(s))")
    groups: dict[str, list[dict]] = {}
    for _, record in records:
        groups.setdefault(normalise(record["question"]), []).append(record)
    items = []
    for group in groups.values():
        question = group[0]["question"]
        labels = Counter(record_label(r) for r in group)
        if len(labels) > 1:
            said = "; ".join(f"{n} took {label}" for label, n in labels.most_common())
            notes.append(f"{question!r}: {said}, left out")
            continue
        if len(group) < min_count:
            notes.append(f"{question!r}: taken {len(group)} time(s), fewer than {min_count}, left out")
            continue
        kind, _, field = next(iter(labels)).partition(":")
        items.append({"question": question, "kind": kind} | ({"field": field} if field else {}) | {"count": len(group)})
    return items, notes
